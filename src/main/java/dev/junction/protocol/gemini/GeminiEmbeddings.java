package dev.junction.protocol.gemini;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.TokenUsage;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.MalformedAnswerException;
import dev.junction.protocol.PassThrough;
import dev.junction.protocol.ProviderCall;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI-shaped embeddings from a gemini channel: the inputs become one
 * {@code :batchEmbedContents} call, and its {@code embeddings[].values} come back as OpenAI's
 * {@code {"object":"list","data":[{"object":"embedding","index","embedding"}],"model","usage"}}.
 * Gemini reports no token counts for embeddings, so usage is estimated (four characters a token).
 */
public final class GeminiEmbeddings {

    private GeminiEmbeddings() {
    }

    /**
     * The route for an OpenAI embeddings request.
     *
     * @param publicModel the model name the client gets back
     * @param dimensions OpenAI's {@code dimensions} (Gemini's {@code outputDimensionality}), or null
     */
    public static PassThrough forOpenAi(String publicModel, List<String> inputs, Integer dimensions) {
        return new Route(publicModel, List.copyOf(inputs), dimensions);
    }

    private record Route(String publicModel, List<String> inputs, Integer dimensions) implements PassThrough {

        @Override
        public ProviderCall call(String upstreamModel, String apiKey, ChannelQuirks quirks) {
            String name = upstreamModel.startsWith("models/") ? upstreamModel.substring(7) : upstreamModel;
            ObjectNode body = JsonTrees.MAPPER.createObjectNode();
            ArrayNode requests = body.putArray("requests");
            for (String input : inputs) {
                ObjectNode request = requests.addObject().put("model", "models/" + name);
                request.putObject("content").putArray("parts").addObject().put("text", input);
                if (dimensions != null) {
                    request.put("outputDimensionality", dimensions);
                }
            }
            Map<String, String> headers = new HashMap<>();
            if (apiKey != null) {
                headers.put("x-goog-api-key", apiKey);
            }
            return new ProviderCall("/v1beta/models/" + name + ":batchEmbedContents", headers, JsonTrees.bytes(body));
        }

        @Override
        public Whole inspect(byte[] body) {
            ObjectNode answer;
            try {
                answer = JsonTrees.object(body);
            } catch (MalformedAnswerException e) {
                return Whole.problem(Problem.NOT_JSON);
            }
            JsonNode embeddings = answer.path("embeddings");
            if (!embeddings.isArray() || embeddings.size() != inputs.size()) {
                return Whole.problem(Problem.notAnAnswer("no embedding for every input"));
            }
            long tokens = inputs.stream().mapToLong(t -> (t.length() + 3) / 4).sum();
            ObjectNode out = JsonTrees.MAPPER.createObjectNode().put("object", "list");
            ArrayNode data = out.putArray("data");
            for (int i = 0; i < embeddings.size(); i++) {
                data.addObject().put("object", "embedding").put("index", i)
                        .set("embedding", embeddings.get(i).path("values"));
            }
            out.put("model", publicModel);
            out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
            return new Whole(TokenUsage.ofInput(tokens), null, JsonTrees.bytes(out));
        }

        @Override
        public StreamScanner scanner() {
            throw new IllegalStateException("embeddings are not streamed");
        }

        @Override
        public boolean verbatimErrors() {
            return false;
        }
    }
}
