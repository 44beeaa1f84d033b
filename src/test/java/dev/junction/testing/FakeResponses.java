package dev.junction.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fake OpenAI Responses API ({@code POST /v1/responses}), for {@code openai} channels with
 * {@code responses: true}: its {@link #baseUrl()} already ends in {@code /v1}, as an openai
 * channel's base URL does. It answers the provider-neutral replies of {@link FakeProvider} with the
 * full event sequence OpenAI streams, and refuses requests without {@code model} or {@code input},
 * with a top-level field the real API does not know, or with an unexpected credential.
 */
public final class FakeResponses extends FakeProvider {

    private static final Set<String> TOP_LEVEL = Set.of("model", "input", "instructions", "stream", "stream_options",
            "tools", "tool_choice", "parallel_tool_calls", "temperature", "top_p", "max_output_tokens",
            "max_tool_calls", "reasoning", "text", "store", "previous_response_id", "include", "metadata",
            "truncation", "user", "service_tier", "background", "prompt", "prompt_cache_key", "safety_identifier",
            "top_logprobs", "conversation", "client_metadata");

    private final AtomicInteger ids = new AtomicInteger();
    private volatile long cachedTokens;

    private FakeResponses(String apiKey) throws Exception {
        super(apiKey);
    }

    /** A fake that expects {@code Authorization: Bearer <apiKey>}. */
    public static FakeResponses start(String apiKey) throws Exception {
        return new FakeResponses(apiKey);
    }

    /** From now on, usage reports {@code cached} of the input tokens as read from the cache. */
    public void reportCachedTokens(long cached) {
        cachedTokens = cached;
    }

    @Override
    public String baseUrl() {
        return super.baseUrl() + "/v1";
    }

    @Override
    protected String errorBody(int status, String message) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("message", message).put("type", status == 401 ? "invalid_request_error"
                : status >= 500 ? "server_error" : "invalid_request_error").putNull("param").putNull("code");
        return root.toString();
    }

    @Override
    protected Rejection validate(Received request) {
        if (!request.path().equals("/v1/responses")) {
            return new Rejection(404, "Unknown path " + request.path());
        }
        String auth = request.header("authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !authorized(auth.substring(7))) {
            return new Rejection(401, "Incorrect API key provided.");
        }
        for (String field : request.body().propertyNames()) {
            if (!TOP_LEVEL.contains(field) && !tolerated(field)) {
                return new Rejection(400, "Unknown parameter: '" + field + "'.");
            }
        }
        if (!request.body().path("model").isString()) {
            return new Rejection(400, "Missing required parameter: 'model'.");
        }
        if (!request.body().has("input")) {
            return new Rejection(400, "Missing required parameter: 'input'.");
        }
        if (request.body().has("previous_response_id")) {
            return new Rejection(400, "Previous response with id '"
                    + request.body().path("previous_response_id").asString() + "' not found.");
        }
        return null;
    }

    /** One answer's output items, and the stream events that build them. */
    private final class Builder {
        final String responseId = "resp_up_" + ids.incrementAndGet();
        final ArrayNode output = JSON.createArrayNode();
        final List<ObjectNode> events = new ArrayList<>();

        void event(ObjectNode event) {
            event.put("sequence_number", events.size() + 2); // 0 and 1 are created and in_progress
            events.add(event);
        }

        ObjectNode typed(String type) {
            return JSON.createObjectNode().put("type", type);
        }

        void message(String text, int pieces) {
            int index = output.size();
            String id = "msg_up_" + index;
            ObjectNode item = JSON.createObjectNode().put("id", id).put("type", "message").put("status", "completed")
                    .put("role", "assistant");
            item.putArray("content").addObject().put("type", "output_text").put("text", text).putArray("annotations");
            ObjectNode added = item.deepCopy().put("status", "in_progress");
            added.putArray("content");
            event(typed("response.output_item.added").put("output_index", index).set("item", added));
            event(typed("response.content_part.added").put("item_id", id).put("output_index", index)
                    .put("content_index", 0).set("part", JSON.createObjectNode().put("type", "output_text")
                            .put("text", "")));
            for (String piece : split(text, pieces)) {
                event(typed("response.output_text.delta").put("item_id", id).put("output_index", index)
                        .put("content_index", 0).put("delta", piece));
            }
            event(typed("response.output_text.done").put("item_id", id).put("output_index", index)
                    .put("content_index", 0).put("text", text));
            event(typed("response.content_part.done").put("item_id", id).put("output_index", index)
                    .put("content_index", 0).set("part", item.path("content").get(0)));
            done(item);
        }

        void call(Call call) {
            int index = output.size();
            ObjectNode item = JSON.createObjectNode().put("id", "fc_up_" + index).put("type", "function_call")
                    .put("status", "completed").put("arguments", call.arguments())
                    .put("call_id", "call_up_" + ids.incrementAndGet()).put("name", call.name());
            event(typed("response.output_item.added").put("output_index", index).set("item",
                    item.deepCopy().put("arguments", "").put("status", "in_progress")));
            event(typed("response.function_call_arguments.delta").put("item_id", item.path("id").asString())
                    .put("output_index", index).put("delta", call.arguments()));
            event(typed("response.function_call_arguments.done").put("item_id", item.path("id").asString())
                    .put("output_index", index).put("arguments", call.arguments()));
            done(item);
        }

        void reasoning(String text) {
            ObjectNode item = JSON.createObjectNode().put("id", "rs_up_" + output.size()).put("type", "reasoning")
                    .put("encrypted_content", "enc_" + text.length());
            item.putArray("summary").addObject().put("type", "summary_text").put("text", text);
            done(item);
        }

        private void done(ObjectNode item) {
            event(typed("response.output_item.done").put("output_index", output.size()).set("item", item));
            output.add(item);
        }

        ObjectNode response(JsonNode request, String status, long input, long outputTokens, long reasoning) {
            ObjectNode response = JSON.createObjectNode().put("id", responseId).put("object", "response")
                    .put("created_at", 1_700_000_000L).put("status", status).put("model",
                            request.path("model").asString());
            response.putNull("error");
            if (status.equals("incomplete")) {
                response.putObject("incomplete_details").put("reason", "content_filter");
            }
            response.set("output", status.equals("in_progress") ? JSON.createArrayNode() : output);
            if (!status.equals("in_progress")) {
                ObjectNode usage = response.putObject("usage").put("input_tokens", input);
                usage.putObject("input_tokens_details").put("cached_tokens", cachedTokens);
                usage.put("output_tokens", outputTokens);
                usage.putObject("output_tokens_details").put("reasoning_tokens", reasoning);
                usage.put("total_tokens", input + outputTokens);
            } else {
                response.putNull("usage");
            }
            return response;
        }
    }

    @Override
    protected void answer(Received request, Reply reply, Exchange exchange) throws Exception {
        JsonNode body = request.body();
        Builder answer = new Builder();
        long reasoning = 0;
        Reply current = reply;
        if (current instanceof Thinking(String thinking, Reply then)) {
            answer.reasoning(thinking);
            reasoning = 3;
            current = then;
        }
        long input = 11;
        long output = 7;
        switch (current) {
            case Text text -> {
                answer.message(text.content(), text.pieces());
                input = text.inputTokens();
                output = text.outputTokens();
            }
            case ToolCalls calls -> {
                if (!calls.leadingText().isEmpty()) {
                    answer.message(calls.leadingText(), 1);
                }
                calls.calls().forEach(answer::call);
            }
            case Blocked() -> {
                output = 0; // the content filter stopped it: status incomplete, reason content_filter
            }
            default -> throw new IllegalArgumentException("not an answer: " + current);
        }
        String status = current instanceof Blocked ? "incomplete" : "completed";
        if (!body.path("stream").asBoolean(false)) {
            exchange.json(200, answer.response(body, status, input, output, reasoning).toString());
            return;
        }
        exchange.startStream();
        ObjectNode created = answer.typed("response.created").put("sequence_number", 0);
        created.set("response", answer.response(body, "in_progress", 0, 0, 0));
        exchange.event("response.created", created);
        ObjectNode progress = answer.typed("response.in_progress").put("sequence_number", 1);
        progress.set("response", answer.response(body, "in_progress", 0, 0, 0));
        exchange.event("response.in_progress", progress);
        for (ObjectNode event : answer.events) {
            exchange.event(event.path("type").asString(), event);
        }
        ObjectNode completed = answer.typed("response." + status).put("sequence_number", answer.events.size() + 2);
        completed.set("response", answer.response(body, status, input, output, reasoning));
        exchange.event("response." + status, completed);
        exchange.finish();
    }

    // --- the stream of a text answer, piece by piece (for the faults) -------------------------------

    private static final String STREAMED_ITEM = "msg_up_0";

    private ObjectNode numbered(Exchange exchange, String type) {
        return JSON.createObjectNode().put("type", type).put("sequence_number", exchange.nextSequence());
    }

    @Override
    protected void openText(Received request, Exchange exchange) throws IOException {
        Builder answer = new Builder();
        for (String type : List.of("response.created", "response.in_progress")) {
            exchange.event(type, numbered(exchange, type).set("response", answer.response(request.body(),
                    "in_progress", 0, 0, 0)));
        }
        ObjectNode item = JSON.createObjectNode().put("id", STREAMED_ITEM).put("type", "message")
                .put("status", "in_progress").put("role", "assistant");
        item.putArray("content");
        exchange.event("response.output_item.added", numbered(exchange, "response.output_item.added")
                .put("output_index", 0).set("item", item));
        exchange.event("response.content_part.added", numbered(exchange, "response.content_part.added")
                .put("item_id", STREAMED_ITEM).put("output_index", 0).put("content_index", 0)
                .set("part", JSON.createObjectNode().put("type", "output_text").put("text", "")));
    }

    @Override
    protected void textPiece(Received request, Exchange exchange, String piece) throws IOException {
        exchange.event("response.output_text.delta", numbered(exchange, "response.output_text.delta")
                .put("item_id", STREAMED_ITEM).put("output_index", 0).put("content_index", 0).put("delta", piece));
    }

    @Override
    protected void closeText(Received request, Exchange exchange) throws IOException {
        Builder answer = new Builder();
        answer.message(exchange.streamed(), 1);
        for (ObjectNode event : answer.events) {
            String type = event.path("type").asString();
            if (type.endsWith(".done")) {
                event.put("sequence_number", exchange.nextSequence());
                exchange.event(type, event);
            }
        }
        exchange.event("response.completed", numbered(exchange, "response.completed").set("response",
                answer.response(request.body(), "completed", 11, 7, 0)));
    }

    @Override
    protected void errorEvent(Exchange exchange) throws IOException {
        exchange.event("error", numbered(exchange, "error").put("code", "server_error").put("message", "boom"));
    }

    @Override
    protected void malformedEvent(Exchange exchange) throws IOException {
        exchange.raw("event: response.output_text.delta\ndata: {\"type\":\n\n");
    }
}
