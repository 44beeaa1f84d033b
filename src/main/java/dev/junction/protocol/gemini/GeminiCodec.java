package dev.junction.protocol.gemini;

import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.protocol.ChannelCodec;
import dev.junction.protocol.EmbeddingsCodec;
import dev.junction.protocol.ImagesCodec;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.ProviderCall;
import dev.junction.protocol.ProviderExchange;
import dev.junction.protocol.StreamDecoder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Channels of type {@code gemini}: {@code POST {base_url}/v1beta/models/{model}:generateContent}
 * (or {@code :streamGenerateContent?alt=sse}) with {@code x-goog-api-key}.
 */
public final class GeminiCodec implements ChannelCodec {

    public static final GeminiCodec INSTANCE = new GeminiCodec();

    private GeminiCodec() {
    }

    @Override
    public ProviderExchange prepare(CanonicalRequest request, String model, String apiKey, String idSeed) {
        String name = model.startsWith("models/") ? model.substring("models/".length()) : model;
        Map<String, String> headers = new HashMap<>();
        if (apiKey != null) {
            headers.put("x-goog-api-key", apiKey);
        }
        headers.put("Accept", request.stream() ? "text/event-stream" : "application/json");
        String path = "/v1beta/models/" + name
                + (request.stream() ? ":streamGenerateContent?alt=sse" : ":generateContent");
        byte[] body = JsonTrees.bytes(GenerateContentEncoder.encode(request, name));
        return new Exchange(new ProviderCall(path, headers, body), idSeed, name);
    }

    /** {@code :batchEmbedContents}. */
    @Override
    public Optional<EmbeddingsCodec> embeddings() {
        return Optional.of(GeminiEmbeddings.INSTANCE);
    }

    /** Gemini's image models through {@code :generateContent}. */
    @Override
    public Optional<ImagesCodec> images() {
        return Optional.of(GeminiImages.INSTANCE);
    }

    private record Exchange(ProviderCall call, String idSeed, String model) implements ProviderExchange {

        @Override
        public CanonicalResponse decode(byte[] body) {
            return GenerateContentDecoder.decode(body, idSeed, model);
        }

        @Override
        public StreamDecoder streamDecoder() {
            return new GenerateContentStreamDecoder(idSeed);
        }
    }
}
