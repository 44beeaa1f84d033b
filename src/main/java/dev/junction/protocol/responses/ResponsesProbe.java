package dev.junction.protocol.responses;

import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.Part;
import dev.junction.core.canonical.Usage;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.MalformedAnswerException;
import dev.junction.protocol.ProviderCall;
import dev.junction.protocol.ProviderExchange;
import dev.junction.protocol.StreamDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one-token "ping" health checks, circuit probes and the dashboard's Test button send to a
 * channel that serves the Responses API ({@code responses: true}): {@code POST /responses} with
 * {@code input: "ping"}, the API's smallest {@code max_output_tokens} and {@code store: false}. Such
 * an upstream may serve that API only (gpt-5-codex does), so a ping on {@code /chat/completions}
 * would always fail there. Its answer is read for the text, the finish and the usage.
 */
public final class ResponsesProbe implements ProviderExchange {

    /** The Responses API's smallest {@code max_output_tokens}. */
    static final int MIN_OUTPUT = 16;

    private final ProviderCall call;

    private ResponsesProbe(ProviderCall call) {
        this.call = call;
    }

    /**
     * The ping for {@code upstreamModel}.
     *
     * @param headers the request headers, the credential among them (as the channel's chat ping has them)
     */
    public static ResponsesProbe of(String upstreamModel, Map<String, String> headers) {
        Objects.requireNonNull(upstreamModel, "upstreamModel");
        ObjectNode body = JsonTrees.MAPPER.createObjectNode().put("model", upstreamModel).put("input", "ping")
                .put("max_output_tokens", MIN_OUTPUT).put("store", false);
        return new ResponsesProbe(new ProviderCall("/responses", headers, JsonTrees.bytes(body)));
    }

    @Override
    public ProviderCall call() {
        return call;
    }

    /** Reads a response object: its output text, refusal, finish and usage. */
    @Override
    public CanonicalResponse decode(byte[] body) {
        ObjectNode root = JsonTrees.object(body);
        if (!"response".equals(JsonTrees.string(root, "object")) || !root.path("output").isArray()) {
            throw new MalformedAnswerException("not a response object");
        }
        List<Part> content = new ArrayList<>();
        StringBuilder refusal = new StringBuilder();
        boolean calls = false;
        for (JsonNode item : root.path("output")) {
            String type = JsonTrees.string(item, "type");
            if ("function_call".equals(type) || "custom_tool_call".equals(type)) {
                calls = true;
            }
            if (!"message".equals(type)) {
                continue;
            }
            for (JsonNode part : item.path("content")) {
                switch (JsonTrees.string(part, "type")) {
                    case "output_text" -> content.add(Part.Text.of(part.path("text").asString("")));
                    case "refusal" -> refusal.append(part.path("refusal").asString(""));
                    case null, default -> {
                    }
                }
            }
        }
        FinishReason finish = ResponsesEnd.finish(root, "incomplete".equals(JsonTrees.string(root, "status")), calls);
        Usage tokens = ResponsesEnd.usage(root.path("usage"));
        String id = JsonTrees.string(root, "id");
        String model = JsonTrees.string(root, "model");
        return new CanonicalResponse(id == null ? "" : id, model == null ? "" : model, content,
                refusal.isEmpty() ? null : refusal.toString(), finish, tokens);
    }

    @Override
    public StreamDecoder streamDecoder() {
        return new ResponsesStreamDecoder();
    }
}
