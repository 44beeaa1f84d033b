package dev.junction.relay;

/**
 * A channel's API has no equivalent of the endpoint the client called (speech from an anthropic
 * channel, transcription from a gemini channel; {@link dev.junction.protocol.EndpointRoute.Missing}),
 * raised by {@link EndpointAttempt#prepare}. Not a failure of the channel: the relay skips it
 * without a verdict and tries the next candidate; when no candidate has the endpoint, the client
 * gets a 400 with this message.
 */
final class EndpointMissingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    EndpointMissingException(String message) {
        super(message, null, false, false);
    }
}
