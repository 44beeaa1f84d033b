package dev.junction.protocol.openai;

import dev.junction.core.ChannelApi;
import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.core.TokenUsage;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.protocol.ClientRequest;
import dev.junction.protocol.ClientStream;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.MalformedAnswerException;
import dev.junction.protocol.PassThrough;
import dev.junction.protocol.ProviderCall;
import dev.junction.protocol.ProviderError;
import dev.junction.protocol.gemini.GeminiEmbeddings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OpenAI {@code POST /v1/embeddings} request. Embeddings are not chat, so there is no canonical
 * form: OpenAI-style channels get the body with the model swapped, gemini channels a
 * {@code batchEmbedContents} call whose answer is rewritten in OpenAI's list shape, and other
 * channel types refuse with a 400.
 */
public final class EmbeddingsClientRequest implements ClientRequest {

    private final ObjectNode root;
    private final String model;

    private EmbeddingsClientRequest(ObjectNode root, String model) {
        this.root = root;
        this.model = model;
    }

    /**
     * Reads a request body.
     *
     * @throws GatewayException (400) without a model or an input
     */
    public static EmbeddingsClientRequest parse(byte[] body) {
        ObjectNode root;
        try {
            root = JsonTrees.clientObject(body);
        } catch (MalformedAnswerException e) {
            throw GatewayException.invalidRequest("The body is not valid JSON: " + e.getMessage() + ".");
        }
        String model = JsonTrees.string(root, "model");
        if (model == null || model.isEmpty()) {
            throw GatewayException.invalidRequest("'model' is required.");
        }
        JsonNode input = root.path("input");
        if (!(input.isString() || input.isArray() && !input.isEmpty())) {
            throw GatewayException.invalidRequest("'input' is required: a string or a non-empty array.");
        }
        return new EmbeddingsClientRequest(root, model);
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public boolean stream() {
        return false;
    }

    @Override
    public Optional<PassThrough> passThrough(ChannelApi api) {
        return switch (api.type()) {
            case OPENAI -> Optional.of(new OpenAiEmbeddings(root));
            // Inputs Gemini cannot take go the translated way, where canonical() refuses them with a 400.
            case GEMINI -> geminiProblem() != null ? Optional.empty() : Optional.of(GeminiEmbeddings.forOpenAi(model,
                    texts(), root.path("dimensions").isIntegralNumber() ? root.path("dimensions").asInt() : null));
            case ANTHROPIC -> Optional.empty();
        };
    }

    /** Why a gemini channel cannot serve this request (base64 output, token-id input), or null. */
    private String geminiProblem() {
        if (JsonTrees.string(root, "encoding_format") instanceof String format && !format.equals("float")) {
            return "encoding_format '" + format + "' is not supported for this model's provider; omit it or send "
                    + "'float'.";
        }
        JsonNode input = root.path("input");
        if (input.isArray() && !input.valueStream().allMatch(JsonNode::isString)) {
            return "'input' as token ids is not supported for this model's provider; send text.";
        }
        return null;
    }

    private List<String> texts() {
        JsonNode input = root.path("input");
        List<String> texts = new ArrayList<>();
        if (input.isString()) {
            texts.add(input.stringValue());
        } else {
            input.forEach(item -> texts.add(item.stringValue()));
        }
        return texts;
    }

    @Override
    public CanonicalRequest canonical(ChannelQuirks quirks) {
        if (geminiProblem() != null) {
            throw GatewayException.invalidRequest(geminiProblem());
        }
        throw GatewayException.invalidRequest("Embeddings for '" + model + "' need an openai or gemini channel; "
                + "this channel's API has no embeddings.");
    }

    @Override
    public byte[] encode(CanonicalResponse response, long createdEpochSeconds) {
        throw new IllegalStateException("embeddings have no canonical answer");
    }

    @Override
    public ClientStream streamEncoder(String fallbackId, String model, long createdEpochSeconds) {
        throw new IllegalStateException("embeddings are not streamed");
    }

    @Override
    public byte[] errorBody(ErrorKind kind, String message) {
        return OpenAiErrors.body(kind, message);
    }

    @Override
    public byte[] relayedError(int status, ProviderError error) {
        return OpenAiErrors.relayed(status, error.type(), error.message());
    }

    @Override
    public byte[] streamError(ErrorKind kind, String message) {
        return OpenAiErrors.streamEvent(kind, message);
    }

    /** To an OpenAI-style channel: the body with the upstream model; usage from {@code usage.prompt_tokens}. */
    private record OpenAiEmbeddings(ObjectNode root) implements PassThrough {

        @Override
        public ProviderCall call(String upstreamModel, String apiKey, ChannelQuirks quirks) {
            Map<String, String> headers = new HashMap<>();
            if (apiKey != null) {
                headers.put("Authorization", "Bearer " + apiKey);
            }
            ObjectNode body = root.deepCopy();
            body.put("model", upstreamModel);
            return new ProviderCall("/embeddings", headers, JsonTrees.bytes(body));
        }

        @Override
        public Whole inspect(byte[] body) {
            ObjectNode answer;
            try {
                answer = JsonTrees.object(body);
            } catch (MalformedAnswerException e) {
                return new Whole(null, "a body that is not JSON");
            }
            if (answer.has("error") && !answer.has("data")) {
                return new Whole(null, "an error object instead of embeddings");
            }
            JsonNode usage = answer.path("usage");
            return new Whole(usage.isObject() ? new TokenUsage(JsonTrees.count(usage, "prompt_tokens"), 0) : null,
                    null);
        }

        @Override
        public StreamScanner scanner() {
            throw new IllegalStateException("embeddings are not streamed");
        }
    }
}
