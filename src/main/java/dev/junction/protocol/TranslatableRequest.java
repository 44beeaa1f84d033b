package dev.junction.protocol;

import dev.junction.core.ChannelApi;
import dev.junction.core.ChannelQuirks;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.CanonicalResponse;
import java.util.Optional;

/**
 * A chat-like client request (OpenAI chat, Anthropic Messages, OpenAI Responses, Gemini): it has a
 * canonical form, so any channel type can serve it, by a byte pass-through to a channel that speaks
 * the client's API and by translation to any other, and its answers, whole or streamed, are
 * encoded back into the client's API.
 */
public non-sealed interface TranslatableRequest extends ClientRequest {

    /**
     * The byte pass-through to a channel speaking {@code api}, when that channel speaks the client's
     * API; empty when the channel is reached by translation through {@link #canonical}.
     */
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

    /**
     * A request, in the client's own API, asking a channel speaking {@code api} to continue a broken
     * answer: this request plus {@code partial} as the assistant's turn and {@code pleaseContinue}
     * as a user turn. Empty (the default) when the continuation goes by translation instead; the
     * Responses API uses it for {@code responses: true} channels, which may serve nothing else.
     */
    default Optional<PassThrough.Continued> continuation(ChannelApi api, String partial, String pleaseContinue) {
        return Optional.empty();
    }
}
