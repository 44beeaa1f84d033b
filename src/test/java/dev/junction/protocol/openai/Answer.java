package dev.junction.protocol.openai;

import dev.junction.protocol.JsonTrees;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * What a client makes of an answer, whole or streamed, for the round-trip tests: the texts, the
 * calls (with their ids where the provider gave them; sorted, since a stream numbers calls in the
 * order they start), the finish in OpenAI's four words, and the token counts. A content-filter
 * finish carries the gateway's explanation when the provider gave none, so the refusal is compared
 * only when both have one.
 */
record Answer(String text, String reasoning, String refusal, List<String> calls, String finish,
        List<Long> usage) {

    Answer {
        calls = calls.stream().sorted().toList();
    }

    private static final JsonNodeFactory NODES = JsonTrees.MAPPER.getNodeFactory();

    static Answer ofCompletion(JsonNode completion) {
        JsonNode choice = completion.at("/choices/0");
        JsonNode message = choice.path("message");
        List<String> calls = new ArrayList<>();
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode arguments = call.at("/function/arguments");
            calls.add(call(call.path("id").asString(""), call.at("/function/name").asString(),
                    arguments.isObject() ? JsonTrees.text(arguments) : arguments.asString("")));
        }
        String reasoning = message.path("reasoning_content").asString("");
        return new Answer(ChatResponseDecoder.text(message.get("content")),
                reasoning.isEmpty() ? message.path("reasoning").asString("") : reasoning,
                message.path("refusal").asString(""), calls, finish(choice.path("finish_reason").asString(null),
                        !calls.isEmpty()), usage(completion.path("usage")));
    }

    static Answer ofStream(String sse) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        StringBuilder refusal = new StringBuilder();
        Map<Integer, String[]> calls = new LinkedHashMap<>();
        String finish = null;
        JsonNode usage = NODES.objectNode();
        int unindexed = -1;
        for (String event : sse.split("\n\n")) {
            String data = event.strip();
            if (!data.startsWith("data: ") || data.equals("data: [DONE]")) {
                continue;
            }
            JsonNode chunk = JsonTrees.MAPPER.readTree(data.substring(6));
            if (chunk.hasNonNull("usage")) {
                usage = chunk.get("usage");
            } else if (chunk.at("/choices/0/usage").isObject()) {
                usage = chunk.at("/choices/0/usage");
            }
            JsonNode choice = chunk.at("/choices/0");
            if (finish != null) {
                continue;
            }
            JsonNode delta = choice.path("delta");
            text.append(ChatResponseDecoder.text(delta.get("content")));
            String thought = delta.path("reasoning_content").asString("");
            reasoning.append(thought.isEmpty() ? delta.path("reasoning").asString("") : thought);
            refusal.append(delta.path("refusal").asString(""));
            for (JsonNode entry : delta.path("tool_calls")) {
                String id = entry.path("id").asString("");
                int index = entry.has("index") ? entry.path("index").asInt()
                        : !id.isEmpty() ? --unindexed : unindexed;
                String[] call = calls.computeIfAbsent(index, _ -> new String[] {"", "", ""});
                call[0] = call[0].isEmpty() ? id : call[0];
                String name = entry.at("/function/name").asString("");
                call[1] = call[1].equals(name) ? call[1] : call[1] + name;
                call[2] += entry.at("/function/arguments").asString("");
            }
            finish = choice.path("finish_reason").asString(null);
        }
        List<String> list = calls.values().stream().map(c -> call(c[0], c[1], c[2])).toList();
        return new Answer(text.toString(), reasoning.toString(), refusal.toString(), list,
                finish(finish, !list.isEmpty()), usage(usage));
    }

    /** Ids the provider did not give are the gateway's own, so only given ones are compared. */
    private static String call(String id, String name, String arguments) {
        return (id.startsWith("call_seed") ? "" : id) + " " + name + " "
                + (arguments.isBlank() ? "{}" : arguments);
    }

    private static String finish(String reason, boolean calls) {
        return FinishReasons.wire(FinishReasons.read(reason, calls).reason());
    }

    private static List<Long> usage(JsonNode usage) {
        return List.of(usage.path("prompt_tokens").asLong(), usage.path("completion_tokens").asLong(),
                usage.at("/prompt_tokens_details/cached_tokens").asLong(
                        usage.path("prompt_cache_hit_tokens").asLong(usage.path("cached_tokens").asLong())),
                usage.at("/completion_tokens_details/reasoning_tokens").asLong());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Answer that && text.equals(that.text) && reasoning.equals(that.reasoning)
                && (refusal.isEmpty() || that.refusal.isEmpty() || refusal.equals(that.refusal))
                && calls.stream().sorted().toList().equals(that.calls.stream().sorted().toList()) && finish.equals(that.finish) && usage.equals(that.usage);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
