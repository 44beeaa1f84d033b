package dev.junction.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fake OpenAI Responses API ({@code POST /v1/responses}), for {@code openai} channels with
 * {@code responses: true}: its {@link #baseUrl()} already ends in {@code /v1}, as an openai
 * channel's base URL does. It answers the provider-neutral replies of {@link FakeProvider} with the
 * full event sequence OpenAI streams, and refuses requests without {@code input} or with an
 * unexpected credential.
 */
public final class FakeResponses extends FakeProvider {

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
            case BrokenStream broken -> answer.message("part ".repeat(Math.max(1, broken.piecesBefore())),
                    broken.piecesBefore());
            default -> throw new IllegalArgumentException("not an answer: " + current);
        }
        if (!body.path("stream").asBoolean(false)) {
            exchange.json(200, answer.response(body, "completed", input, output, reasoning).toString());
            return;
        }
        exchange.startStream();
        ObjectNode created = answer.typed("response.created").put("sequence_number", 0);
        created.set("response", answer.response(body, "in_progress", 0, 0, 0));
        exchange.event("response.created", created);
        ObjectNode progress = answer.typed("response.in_progress").put("sequence_number", 1);
        progress.set("response", answer.response(body, "in_progress", 0, 0, 0));
        exchange.event("response.in_progress", progress);
        if (current instanceof BrokenStream broken) {
            for (ObjectNode event : answer.events) {
                if (event.path("type").asString().equals("response.output_text.done")) {
                    break;
                }
                exchange.event(event.path("type").asString(), event);
            }
            switch (broken.fault()) {
                case CUT -> exchange.cut();
                case ERROR_EVENT -> {
                    exchange.event("error", "{\"type\":\"error\",\"code\":\"server_error\",\"message\":\"boom\"}");
                    exchange.finish();
                }
                case MALFORMED -> {
                    exchange.raw("data: {\"type\":\n\n");
                    exchange.finish();
                }
            }
            return;
        }
        for (ObjectNode event : answer.events) {
            exchange.event(event.path("type").asString(), event);
        }
        ObjectNode completed = answer.typed("response.completed").put("sequence_number", answer.events.size() + 2);
        completed.set("response", answer.response(body, "completed", input, output, reasoning));
        exchange.event("response.completed", completed);
        exchange.finish();
    }
}
