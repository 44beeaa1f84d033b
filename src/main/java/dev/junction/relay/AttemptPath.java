package dev.junction.relay;

import dev.junction.core.TokenUsage;
import dev.junction.protocol.ProviderCall;

/**
 * What one way of reaching a channel (the {@link PassThroughAttempt pass-through}, the
 * {@link TranslatedAttempt translated} path, or an {@link EndpointAttempt endpoint's} own route) adds
 * to the steps every attempt shares in {@link Relay}: how the provider call is built, how a whole
 * answer is read, and, for the paths that read event streams ({@link Streaming}), how a stream's
 * events become the client's. One per attempt.
 */
interface AttemptPath {

    /**
     * The provider call. A {@link dev.junction.core.GatewayException} means the client's request
     * cannot be sent this way (the client's to fix); any other exception is a gateway bug.
     */
    ProviderCall prepare();

    /** Whether a provider's JSON error body reaches the client as the provider wrote it. */
    boolean verbatimErrors();

    /**
     * Whether a 2xx answer with this {@code Content-Type} (null when absent) is relayed byte for
     * byte as it arrives ({@link RawBody}) instead of read whole or as events.
     */
    default boolean raw(String contentType) {
        return false;
    }

    /** Reads a whole 2xx answer. */
    Whole whole(int status, byte[] body);

    /** A path whose answers may be event streams, read event by event. */
    interface Streaming extends AttemptPath {

        /** The handler of one event stream. */
        StreamLoop.Handler stream();
    }

    /** What a whole answer turned out to be. */
    sealed interface Whole {
    }

    /** An answer for the client: status and body to send, tokens counted. */
    record Answer(int status, byte[] body, TokenUsage usage) implements Whole {
    }

    /** Not a usable answer: another channel may do better. */
    record Unusable(String outcome, Failure failure) implements Whole {
    }
}
