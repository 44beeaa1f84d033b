package dev.junction.protocol;

import dev.junction.core.ChannelApi;
import dev.junction.core.ChannelQuirks;
import dev.junction.core.ErrorKind;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.CanonicalResponse;
import java.util.Optional;

/**
 * A client's request in the API it speaks (OpenAI chat, Anthropic Messages, OpenAI Responses,
 * Gemini), with everything the relay needs to serve it from any channel: a byte pass-through to a
 * channel that speaks the same API, the canonical form for every other channel, the encoders that
 * turn canonical answers back into the client's API, and that API's error shapes. The relay only
 * ever talks to this interface, so every client API reaches every channel type through one loop.
 */
public interface ClientRequest {

    /** The public model the client asked for. */
    String model();

    /** Whether the client asked for a server-sent-event stream. */
    boolean stream();

    /** A pass-through to a channel speaking {@code api}, when that channel speaks the client's API. */
    Optional<PassThrough> passThrough(ChannelApi api);

    /**
     * The request in canonical form, for a channel reached by translation.
     *
     * @throws dev.junction.core.GatewayException (400) when the request cannot be expressed
     */
    CanonicalRequest canonical(ChannelQuirks quirks);

    /** A whole canonical answer in the client's API. */
    byte[] encode(CanonicalResponse response, long createdEpochSeconds);

    /** An encoder for one streamed answer. */
    ClientStream streamEncoder(String fallbackId, String model, long createdEpochSeconds);

    /** A gateway-made error body in the client's API shape. */
    byte[] errorBody(ErrorKind kind, String message);

    /** A provider's own error, relayed in the client's API shape with the provider's words. */
    byte[] relayedError(int status, ProviderError error);

    /** The in-band event that ends a stream which broke after content was sent; never a clean finish. */
    byte[] streamError(ErrorKind kind, String message);
}
