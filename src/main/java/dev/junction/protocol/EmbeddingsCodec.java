package dev.junction.protocol;

import dev.junction.core.canonical.Embeddings;
import dev.junction.core.canonical.EmbeddingsRequest;
import tools.jackson.databind.node.ObjectNode;

/**
 * A provider's embeddings API reached by translation, from a client API that differs from it: a
 * canonical embeddings request becomes the provider's call, and its answer comes back canonical.
 * A {@link ChannelCodec} offers one when its wire format has embeddings.
 */
public interface EmbeddingsCodec {

    /**
     * The upstream call.
     *
     * @param model the provider's name for the model
     * @param apiKey the provider credential, or null for an upstream without auth
     */
    ProviderCall call(EmbeddingsRequest request, String model, String apiKey);

    /**
     * Reads a 2xx answer (already known to be a JSON object).
     *
     * @throws MalformedAnswerException when it is not the provider's embeddings answer for this request
     */
    Embeddings decode(EmbeddingsRequest request, ObjectNode answer);
}
