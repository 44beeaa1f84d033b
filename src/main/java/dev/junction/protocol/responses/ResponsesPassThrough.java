package dev.junction.protocol.responses;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.TokenUsage;
import dev.junction.http.SseEvent;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.MalformedAnswerException;
import dev.junction.protocol.PassThrough;
import dev.junction.protocol.ProviderCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
    private final ResponsesOutput output;

    /**
     * @param request the request to send, whose model value is replaced
     * @param finished gets the finished response object
     * @param output the request's tools and echoed fields, for the response object of a continued stream
     */
    ResponsesPassThrough(ResponsesRequest request, Sequence sequence, Consumer<ObjectNode> finished,
            ResponsesOutput output) {
        this.request = request;
        this.output = output;
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

    /**
     * The events relayed so far, read back: the response's id, creation time and model, the items
     * already done, and the message item being written, which the continuation goes on writing
     * (same item id and output index; sequence numbers keep rising), or new items after the last
     * one done. An answer that showed a tool call is not continued.
     */
    @Override
    public Resumed resume(List<SseEvent> relayed) {
        String responseId = null;
        String model = request.model();
        long created = 0;
        List<ObjectNode> done = new ArrayList<>();
        String messageId = null;
        int messageIndex = -1;
        StringBuilder text = new StringBuilder();
        StringBuilder open = null;
        boolean reasoningOpen = false;
        for (SseEvent event : relayed) {
            ObjectNode json;
            try {
                json = JsonTrees.object(event.data());
            } catch (MalformedAnswerException e) {
                return null;
            }
            String type = JsonTrees.string(json, "type");
            if (type == null) {
                type = event.name() == null ? "" : event.name();
            }
            switch (type) {
                case "response.created", "response.in_progress" -> {
                    JsonNode response = json.path("response");
                    responseId = JsonTrees.string(response, "id");
                    created = response.path("created_at").asLong(created);
                    model = response.path("model").asString(model);
                }
                case "response.output_item.added" -> {
                    JsonNode item = json.path("item");
                    if (!"message".equals(JsonTrees.string(item, "type"))) {
                        if (!"reasoning".equals(JsonTrees.string(item, "type"))) {
                            return null; // a tool call
                        }
                        open = null;
                        messageId = null;
                        reasoningOpen = true;
                        continue;
                    }
                    messageId = JsonTrees.string(item, "id");
                    messageIndex = json.path("output_index").asInt(done.size());
                    open = new StringBuilder();
                }
                case "response.output_text.delta" -> {
                    if (open == null) {
                        return null;
                    }
                    String delta = json.path("delta").asString("");
                    open.append(delta);
                    text.append(delta);
                }
                case "response.output_item.done" -> {
                    if (!(json.path("item") instanceof ObjectNode item)) {
                        return null;
                    }
                    done.add(item);
                    open = null;
                    messageId = null;
                    reasoningOpen = false;
                }
                case "response.refusal.delta", "response.function_call_arguments.delta",
                        "response.custom_tool_call_input.delta" -> {
                    return null;
                }
                default -> {
                }
            }
        }
        if (responseId == null || text.isEmpty() || reasoningOpen) {
            return null;
        }
        if (open == null || messageId == null) {
            messageId = null; // the message is done: what follows goes into new items
        }
        ResponsesOutput resumed = new ResponsesOutput(responseId, output.tools(), output.echo());
        return new Resumed(text.toString(), ResponsesStream.resumed(resumed, model, created, sequence, finished,
                done, messageId, messageIndex, open == null ? "" : open.toString()));
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
        /** Whether a tool call item is open (its events are held until its output_item.done). */
        private boolean inCall;

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
            String type = head.type(event);
            if (inCall) {
                if (type.equals("response.output_item.done")) {
                    inCall = false;
                    return Verdict.CONTENT; // the whole call: sent with what was held
                }
                if (type.startsWith("response.function_call") || type.startsWith("response.custom_tool_call")) {
                    return Verdict.TOOL;
                }
            }
            if (type.equals("response.output_item.added")) {
                String item = JsonTrees.string(JsonTrees.object(event.data()).path("item"), "type");
                if ("function_call".equals(item) || "custom_tool_call".equals(item)) {
                    inCall = true;
                    return Verdict.TOOL;
                }
            }
            switch (type) {
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
