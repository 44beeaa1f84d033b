package dev.junction.protocol;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.canonical.CanonicalRequest;
import java.util.Optional;

/**
 * A provider wire format that is reached by translation: it turns a canonical request into the
 * provider's HTTP call and reads the provider's answers back into canonical form. One
 * implementation per channel type; the relay picks it by the channel's type and never sees the
 * provider's JSON.
 */
public interface ChannelCodec {

    /**
     * Prepares one call.
     *
     * @param request the canonical request
     * @param model the provider's name for the model
     * @param apiKey the provider credential, or null for an upstream without auth
     * @param idSeed a short random string for ids the provider does not give (tool calls), so
     *     they are unique per answer and stable within it
     * @throws dev.junction.core.GatewayException (invalid request) when the provider cannot
     *     express what the client asked for
     */
    ProviderExchange prepare(CanonicalRequest request, String model, String apiKey, String idSeed);

    /**
     * As {@link #prepare(CanonicalRequest, String, String, String)}, with the channel's quirks
     * ({@code drop_params}, {@code defaults}, {@code stream_options}) applied where the wire format
     * has them. By default none apply.
     */
    default ProviderExchange prepare(CanonicalRequest request, String model, String apiKey, String idSeed,
            ChannelQuirks quirks) {
        return prepare(request, model, apiKey, idSeed);
    }

    /** The wire format's embeddings, for clients of another API; empty when it has none. */
    default Optional<EmbeddingsCodec> embeddings() {
        return Optional.empty();
    }

    /** The wire format's image generation, for OpenAI image clients; empty when it has none. */
    default Optional<ImagesCodec> images() {
        return Optional.empty();
    }
}
