package dev.junction.protocol.gemini;

import dev.junction.core.canonical.Embeddings;
import dev.junction.core.canonical.EmbeddingsRequest;
import dev.junction.core.canonical.Usage;
import dev.junction.protocol.EmbeddingsCodec;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.MalformedAnswerException;
import dev.junction.protocol.ProviderCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Embeddings from a gemini channel: the inputs become one {@code :batchEmbedContents} call, and its
 * {@code embeddings[].values} come back as canonical vectors. Gemini reports no token counts for
 * embeddings, so usage is estimated (four characters a token).
 */
final class GeminiEmbeddings implements EmbeddingsCodec {

    static final GeminiEmbeddings INSTANCE = new GeminiEmbeddings();

    private GeminiEmbeddings() {
    }

    @Override
    public ProviderCall call(EmbeddingsRequest request, String model, String apiKey) {
        String name = model.startsWith("models/") ? model.substring(7) : model;
        ObjectNode body = JsonTrees.MAPPER.createObjectNode();
        ArrayNode requests = body.putArray("requests");
        for (String input : request.inputs()) {
            ObjectNode item = requests.addObject().put("model", "models/" + name);
            item.putObject("content").putArray("parts").addObject().put("text", input);
            request.dimensions().ifPresent(dimensions -> item.put("outputDimensionality", dimensions));
        }
        Map<String, String> headers = new HashMap<>();
        if (apiKey != null) {
            headers.put("x-goog-api-key", apiKey);
        }
        return new ProviderCall("/v1beta/models/" + name + ":batchEmbedContents", headers, JsonTrees.bytes(body));
    }

    @Override
    public Embeddings decode(EmbeddingsRequest request, ObjectNode answer) {
        JsonNode embeddings = answer.path("embeddings");
        if (!embeddings.isArray() || embeddings.size() != request.inputs().size()) {
            throw new MalformedAnswerException("no embedding for every input");
        }
        List<Embeddings.Vector> vectors = new ArrayList<>(embeddings.size());
        for (JsonNode embedding : embeddings) {
            JsonNode values = embedding.path("values");
            if (!values.isArray()) {
                throw new MalformedAnswerException("an embedding without its values");
            }
            double[] numbers = new double[values.size()];
            for (int i = 0; i < numbers.length; i++) {
                JsonNode value = values.get(i);
                if (!value.isNumber()) {
                    throw new MalformedAnswerException("an embedding value that is not a number");
                }
                numbers[i] = value.asDouble();
            }
            vectors.add(Embeddings.Vector.of(numbers));
        }
        long tokens = request.inputs().stream().mapToLong(t -> (t.length() + 3) / 4).sum();
        return new Embeddings(vectors, new Usage(tokens, 0, 0, 0, 0));
    }
}
