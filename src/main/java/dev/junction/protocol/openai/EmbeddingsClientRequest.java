package dev.junction.protocol.openai;

import dev.junction.core.ChannelApi;
import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.core.TokenUsage;
import dev.junction.core.canonical.Embeddings;
import dev.junction.core.canonical.EmbeddingsRequest;
import dev.junction.protocol.ChannelCodec;
import dev.junction.protocol.EndpointRequest;
import dev.junction.protocol.EndpointRoute;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.MalformedAnswerException;
import dev.junction.protocol.ProviderCall;
import dev.junction.protocol.ProviderError;
import dev.junction.protocol.Route;
import dev.junction.protocol.TranslatedEmbeddings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Function;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OpenAI {@code POST /v1/embeddings} request. Embeddings are not chat: OpenAI-style channels
 * get the body with the model swapped; a channel type whose codec has embeddings (gemini) gets the
 * canonical {@link EmbeddingsRequest} through that codec, and the canonical answer comes back in
 * OpenAI's list shape; other channel types refuse with a 400.
 */
public final class EmbeddingsClientRequest implements EndpointRequest {

    private final ObjectNode root;
    private final String model;
    private final Function<ChannelType, ChannelCodec> codecs;

    private EmbeddingsClientRequest(ObjectNode root, String model, Function<ChannelType, ChannelCodec> codecs) {
        this.root = root;
        this.model = model;
        this.codecs = codecs;
    }

    /**
     * Reads a request body.
     *
     * @param codecs the codec of each channel type, for channels that are not OpenAI-style
     * @throws GatewayException (400) without a model or an input
     */
    public static EmbeddingsClientRequest parse(byte[] body, Function<ChannelType, ChannelCodec> codecs) {
        Objects.requireNonNull(codecs, "codecs");
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
        return new EmbeddingsClientRequest(root, model, codecs);
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public boolean stream() {
        return false;
    }

    /**
     * An OpenAI-style channel gets the body; a channel whose codec has embeddings gets the canonical
     * request, unless the request has no canonical form; any other channel is the client's to fix.
     */
    @Override
    public EndpointRoute route(ChannelApi api) {
        if (api.type() == ChannelType.OPENAI) {
            return new EndpointRoute.Served(new OpenAiEmbeddings(root));
        }
        String problem = canonicalProblem();
        if (problem != null) {
            return new EndpointRoute.Refused(problem);
        }
        return codecs.apply(api.type()).embeddings()
                .<EndpointRoute>map(codec -> new EndpointRoute.Served(new TranslatedEmbeddings(codec, canonical(),
                        this::encode)))
                .orElseGet(() -> new EndpointRoute.Refused("Embeddings for '" + model + "' need an openai or gemini "
                        + "channel; this channel's API has no embeddings."));
    }

    /** Why the request has no canonical form (base64 output, token-id input), or null. */
    private String canonicalProblem() {
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

    private EmbeddingsRequest canonical() {
        JsonNode input = root.path("input");
        List<String> texts = new ArrayList<>();
        if (input.isString()) {
            texts.add(input.stringValue());
        } else {
            input.forEach(item -> texts.add(item.stringValue()));
        }
        JsonNode dimensions = root.path("dimensions");
        if (dimensions.isIntegralNumber() && !dimensions.canConvertToInt()) {
            throw GatewayException.invalidRequest("'dimensions' is too large.");
        }
        return new EmbeddingsRequest(texts, dimensions.isIntegralNumber() ? OptionalInt.of(dimensions.asInt())
                : OptionalInt.empty());
    }

    /** OpenAI's list: {@code {"object":"list","data":[{"object":"embedding","index","embedding"}],"model","usage"}}. */
    private byte[] encode(Embeddings embeddings) {
        ObjectNode out = JsonTrees.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < embeddings.vectors().size(); i++) {
            Embeddings.Vector vector = embeddings.vectors().get(i);
            ArrayNode values = data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
            for (int j = 0; j < vector.size(); j++) {
                values.add(vector.get(j));
            }
        }
        out.put("model", model);
        long tokens = embeddings.usage().input();
        out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return JsonTrees.bytes(out);
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
    private record OpenAiEmbeddings(ObjectNode root) implements Route {

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
                return Whole.problem(Problem.NOT_JSON);
            }
            if (answer.has("error") && !answer.has("data")) {
                return Whole.problem(Problem.notAnAnswer("an error object instead of embeddings"));
            }
            JsonNode usage = answer.path("usage");
            return new Whole(usage.isObject() ? TokenUsage.ofInput(JsonTrees.count(usage, "prompt_tokens")) : null,
                    null);
        }
    }
}
