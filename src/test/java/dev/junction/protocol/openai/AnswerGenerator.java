package dev.junction.protocol.openai;

import dev.junction.protocol.JsonTrees;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** A random answer, rendered whole or as a chunk stream cut and ended as various providers do. */
record AnswerGenerator(Random random) {

    private static final JsonNodeFactory NODES = JsonTrees.MAPPER.getNodeFactory();

    record Call(String id, String name, String arguments) {
    }

    record Generated(String id, String reasoning, String text, String refusal, List<Call> calls, String finish,
            long[] usage) {

        ObjectNode completion() {
            ObjectNode completion = NODES.objectNode().put("id", id).put("object", "chat.completion")
                    .put("created", 1).put("model", "m");
            ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
            ObjectNode message = choice.putObject("message").put("role", "assistant");
            if (text.isEmpty()) {
                message.putNull("content");
            } else {
                message.put("content", text);
            }
            if (!reasoning.isEmpty()) {
                message.put("reasoning_content", reasoning);
            }
            if (!refusal.isEmpty()) {
                message.put("refusal", refusal);
            }
            if (!calls.isEmpty()) {
                ArrayNode list = message.putArray("tool_calls");
                for (Call call : calls) {
                    ObjectNode entry = list.addObject().put("type", "function");
                    if (call.id() != null) {
                        entry.put("id", call.id());
                    }
                    entry.putObject("function").put("name", call.name()).put("arguments", call.arguments());
                }
            }
            choice.put("finish_reason", finish);
            usage(completion.putObject("usage"));
            return completion;
        }

        private void usage(ObjectNode node) {
            node.put("prompt_tokens", usage[0]).put("completion_tokens", usage[1])
                    .put("total_tokens", usage[0] + usage[1]);
            node.putObject("prompt_tokens_details").put("cached_tokens", usage[2]);
            node.putObject("completion_tokens_details").put("reasoning_tokens", usage[3]);
        }

        String stream(Random random) {
            List<ObjectNode> deltas = new ArrayList<>();
            if (random.nextBoolean()) {
                deltas.add(NODES.objectNode().put("role", "assistant").put("content", ""));
            }
            fragments(reasoning, random).forEach(f -> deltas.add(NODES.objectNode()
                    .put(random.nextBoolean() ? "reasoning_content" : "reasoning", f)));
            fragments(text, random).forEach(f -> deltas.add(NODES.objectNode().put("content", f)));
            fragments(refusal, random).forEach(f -> deltas.add(NODES.objectNode().put("refusal", f)));
            deltas.addAll(toolCallDeltas(random));
            StringBuilder sse = new StringBuilder();
            for (ObjectNode delta : deltas) {
                if (random.nextInt(8) == 0) {
                    sse.append(": keep-alive\n\n");
                }
                sse.append(chunk(delta, null, false));
            }
            boolean usageWithFinish = random.nextBoolean();
            sse.append(chunk(NODES.objectNode(), finish, usageWithFinish));
            if (!usageWithFinish) {
                ObjectNode usageChunk = NODES.objectNode().put("id", id).put("object", "chat.completion.chunk");
                usageChunk.putArray("choices");
                usage(usageChunk.putObject("usage"));
                sse.append("data: ").append(usageChunk).append("\n\n");
            }
            if (random.nextBoolean()) {
                sse.append("data: [DONE]\n\n");
            }
            return sse.toString();
        }

        private String chunk(ObjectNode delta, String finishReason, boolean withUsage) {
            ObjectNode chunk = NODES.objectNode().put("id", id).put("object", "chat.completion.chunk")
                    .put("created", 1).put("model", "m");
            ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
            choice.set("delta", delta);
            if (finishReason == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finishReason);
            }
            if (withUsage) {
                usage(chunk.putObject("usage"));
            }
            return "data: " + chunk + "\n\n";
        }

        /**
         * Each call opened OpenAI's way (id, name, empty arguments) or with its id a chunk late,
         * then its arguments in fragments, the fragments of all calls interleaved at random.
         */
        private List<ObjectNode> toolCallDeltas(Random random) {
            List<List<ObjectNode>> perCall = new ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                Call call = calls.get(i);
                List<ObjectNode> entries = new ArrayList<>();
                boolean lateId = call.id() != null && random.nextInt(4) == 0;
                ObjectNode open = NODES.objectNode().put("index", i);
                if (call.id() != null && !lateId) {
                    open.put("id", call.id()).put("type", "function");
                }
                open.putObject("function").put("name", call.name()).put("arguments", "");
                entries.add(open);
                if (lateId) {
                    entries.add(NODES.objectNode().put("index", i).put("id", call.id()));
                }
                for (String fragment : fragments(call.arguments(), random)) {
                    entries.add(NODES.objectNode().put("index", i).set("function",
                            NODES.objectNode().put("arguments", fragment)));
                }
                perCall.add(entries);
            }
            List<ObjectNode> deltas = new ArrayList<>();
            while (perCall.stream().anyMatch(list -> !list.isEmpty())) {
                List<ObjectNode> next = perCall.get(random.nextInt(perCall.size()));
                if (!next.isEmpty()) {
                    ObjectNode delta = NODES.objectNode();
                    delta.putArray("tool_calls").add(next.removeFirst());
                    deltas.add(delta);
                }
            }
            return deltas;
        }

        private static List<String> fragments(String text, Random random) {
            List<String> fragments = new ArrayList<>();
            int at = 0;
            while (at < text.length()) {
                int end = Math.min(text.length(), at + 1 + random.nextInt(6));
                if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                    end++;
                }
                fragments.add(text.substring(at, end));
                at = end;
            }
            return fragments;
        }
    }

    Generated answer() {
        String reasoning = random.nextInt(3) == 0 ? words() : "";
        boolean refused = random.nextInt(8) == 0;
        List<Call> calls = new ArrayList<>();
        if (!refused && random.nextBoolean()) {
            boolean ids = random.nextInt(5) > 0;
            for (int i = 1 + random.nextInt(4); i > 0; i--) {
                calls.add(new Call(ids ? "call_" + random.nextInt(1_000_000) + "_" + i : null,
                        "fn_" + random.nextInt(5), "{\"q\":" + JsonTrees.MAPPER.writeValueAsString(words()) + "}"));
            }
        }
        String text = refused ? "" : calls.isEmpty() || random.nextBoolean() ? words() : "";
        String finish = refused ? "stop" : !calls.isEmpty() ? (random.nextBoolean() ? "tool_calls" : "stop")
                : List.of("stop", "length", "content_filter").get(random.nextInt(3));
        long input = random.nextInt(5000);
        long output = random.nextInt(2000);
        return new Generated("chatcmpl-" + random.nextInt(1_000_000), reasoning, text,
                refused ? "I can't help with " + words() : "", calls, finish,
                new long[] {input, output, random.nextInt((int) input + 1), random.nextInt((int) output + 1)});
    }

    private String words() {
        String[] words = {"héllo", "\"q\"", "new\nline", "日本語", "{x}", "🙂🙂", "back\\slash", "ok"};
        StringBuilder text = new StringBuilder();
        for (int i = 1 + random.nextInt(6); i > 0; i--) {
            text.append(words[random.nextInt(words.length)]).append(' ');
        }
        return text.toString();
    }
}
