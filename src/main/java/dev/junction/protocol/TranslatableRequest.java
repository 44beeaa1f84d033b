package dev.junction.protocol;

import dev.junction.core.ChannelApi;
import dev.junction.core.ChannelQuirks;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.CanonicalResponse;

/**
 * A chat-like client request (OpenAI chat, Anthropic Messages, OpenAI Responses, Gemini): it has a
 * canonical form, so any channel type can serve it by translation, and its answers, whole or
 * streamed, are encoded back into the client's API.
 */
public interface TranslatableRequest extends ClientRequest {

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

    /** Every channel type can serve a chat-like request by translation. */
    @Override
    default TranslatableRequest translatable(ChannelApi api) {
        return this;
    }
}
