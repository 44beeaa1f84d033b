package dev.junction.protocol.responses;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.TokenUsage;
import dev.junction.http.SseEvent;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.MalformedAnswerException;
import dev.junction.protocol.PassThrough;
import dev.junction.protocol.ProviderCall;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Responses to an {@code openai} channel that serves the Responses API ({@code responses: true}):
 * the body goes to {@code POST /responses} with only the model changed, and the answer comes back
 * as sent, read on the way for usage, the commit point and the finished response (to store it).
 */
final class ResponsesPassThrough implements PassThrough {

    private static final byte[] NOTHING = new byte[0];

    private final ResponsesRequest request;
    private final Sequence sequence;
    private final Consumer<ObjectNode> finished;

    /**
     * @param request the request to send, whose model value is replaced
     * @param finished gets the finished response object
     */
    ResponsesPassThrough(ResponsesRequest request, Sequence sequence, Consumer<ObjectNode> finished) {
        this.request = request;
        this.sequence = sequence;
        this.finished = finished;
    }

    @Override
    public ProviderCall call(String upstreamModel, String apiKey, ChannelQuirks quirks) {
        Map<String, String> headers = new HashMap<>();
        if (apiKey != null) {
            headers.put("Authorization", "Bearer " + apiKey);
        }
        headers.put("Accept", request.stream() ? "text/event-stream" : "application/json");
        return new ProviderCall("/responses", headers, request.withModel(upstreamModel));
    }

    @Override
    public Whole inspect(byte[] answer) {
        ObjectNode root;
        try {
            root = JsonTrees.object(answer);
        } catch (MalformedAnswerException e) {
            return Whole.problem(Problem.NOT_JSON);
        }
        if (!"response".equals(JsonTrees.string(root, "object")) || root.hasNonNull("error")
                && !root.path("output").isArray()) {
            return Whole.problem(Problem.notAnAnswer("an error object instead of a response"));
        }
        finished.accept(root);
        return Whole.answer(tokens(root.path("usage")));
    }

    @Override
    public StreamScanner scanner() {
        return new Scanner();
    }

    /**
     * The Responses API's usage: {@code input_tokens} includes the cached ones and
     * {@code output_tokens} the reasoning ones, as the gateway counts (see {@link TokenUsage}).
     * {@code cache_write_tokens} is what the gateway itself writes for providers that report writes.
     */
    static TokenUsage tokens(JsonNode usage) {
        if (!usage.isObject()) {
            return null;
        }
        JsonNode input = usage.path("input_tokens_details");
        return new TokenUsage(JsonTrees.count(usage, "input_tokens"), JsonTrees.count(usage, "output_tokens"),
                JsonTrees.count(input, "cached_tokens"), JsonTrees.count(input, "cache_write_tokens"),
                JsonTrees.count(usage.path("output_tokens_details"), "reasoning_tokens"));
    }

    /**
     * Reads Responses events: the type from the JSON (or the event line), usage from the final
     * response. Only the type and sequence number are read of most events, without a tree.
     */
    private final class Scanner implements StreamScanner {
        private static final java.util.Set<String> TEXT_FIELDS = java.util.Set.of("delta");
        private TokenUsage usage;
        private boolean complete;

        @Override
        public Verdict scan(SseEvent event) {
            ResponsesEvent head;
            try {
                head = ResponsesEvent.read(event.data());
            } catch (MalformedAnswerException e) {
                return Verdict.MALFORMED;
            }
            if (head.sequenced()) {
                sequence.seen(head.sequence());
            }
            switch (head.type(event)) {
                case "response.completed", "response.incomplete" -> {
                    ObjectNode json = JsonTrees.object(event.data());
                    if (!(json.path("response") instanceof ObjectNode response)) {
                        return Verdict.MALFORMED; // a completion without its response object
                    }
                    usage = tokens(response.path("usage"));
                    complete = true;
                    finished.accept(response);
                    return Verdict.DONE;
                }
                case "response.failed", "error" -> {
                    return Verdict.ERROR;
                }
                case "response.created", "response.in_progress", "response.queued", "response.output_item.added",
                        "response.content_part.added", "response.reasoning_summary_part.added" -> {
                    return Verdict.LIFECYCLE;
                }
                default -> {
                    return Verdict.CONTENT;
                }
            }
        }

        @Override
        public boolean complete() {
            return complete;
        }

        @Override
        public byte[] terminator() {
            return NOTHING;
        }

        @Override
        public java.util.Set<String> textFields() {
            return TEXT_FIELDS;
        }

        @Override
        public TokenUsage usage() {
            return usage;
        }
    }
}
