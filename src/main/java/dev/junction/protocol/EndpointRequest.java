package dev.junction.protocol;

import dev.junction.core.ChannelApi;

/**
 * A request to an endpoint that is not chat (embeddings, images, audio, moderations, rerank): it has
 * no canonical chat form, so a channel either has a route of its own for it (the client's bytes to an
 * OpenAI-style channel, a codec of the channel's own, such as Gemini embeddings or images) or cannot
 * serve it. Its answers are read whole or relayed byte for byte, never read as events.
 */
public non-sealed interface EndpointRequest extends ClientRequest {

    /** How a channel speaking {@code api} serves this request, or why it cannot. */
    EndpointRoute route(ChannelApi api);
}
