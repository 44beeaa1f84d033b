package dev.junction.bench;

import dev.junction.http.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Wire samples shaped like real provider traffic. */
final class Samples {

    private Samples() {
    }

    static String contentChunk(int i) {
        return "{\"id\":\"chatcmpl-AbCdEf0123456789\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0123456789\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\" token" + i + "\"},\"logprobs\":null,\"finish_reason\":null}]}";
    }

    static String usageChunk() {
        return "{\"id\":\"chatcmpl-AbCdEf0123456789\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0123456789\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":1200,\"completion_tokens\":99,\"total_tokens\":1299,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":1024},\"completion_tokens_details\":"
                + "{\"reasoning_tokens\":0}}}";
    }

    /** A whole non-streamed answer of about 1 KB. */
    static String completion() {
        return "{\"id\":\"chatcmpl-AbCdEf0123456789\",\"object\":\"chat.completion\",\"created\":1700000000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0123456789\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"" + "Two, three and five are prime. ".repeat(20)
                + "\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1200,"
                + "\"completion_tokens\":140,\"total_tokens\":1340}}";
    }

    /** {@code contentEvents} content events, the usage event and [DONE]. */
    static String chatStream(int contentEvents) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < contentEvents - 1; i++) {
            out.append("data: ").append(contentChunk(i)).append("\n\n");
        }
        out.append("data: ").append(usageChunk()).append("\n\n");
        return out.append("data: [DONE]\n\n").toString();
    }

    static String anthropicStream(int events) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < events; i++) {
            out.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\" token").append(i).append("\"}}\n\n");
        }
        return out.toString();
    }

    /** A chat request whose messages hold about {@code kilobytes} KB of text. */
    static String chatRequest(int kilobytes, boolean stream) {
        StringBuilder messages = new StringBuilder("[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"}");
        String paragraph = "The quick brown fox jumps over the lazy dog; \\\"quoted\\\" text and unicode \\u00e9. ";
        int turns = Math.max(1, kilobytes);
        for (int i = 0; i < turns; i++) {
            messages.append(",{\"role\":\"").append(i % 2 == 0 ? "user" : "assistant").append("\",\"content\":\"")
                    .append(paragraph.repeat(12)).append("\"}");
        }
        messages.append(']');
        return "{\"model\":\"claude-sonnet\",\"messages\":" + messages + ",\"temperature\":0.2,\"max_tokens\":1024,"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"parameters\":{\"type\":\"object\","
                + "\"properties\":{\"q\":{\"type\":\"string\"}}}}}]" + (stream ? ",\"stream\":true" : "") + "}";
    }

    // --- translation -----------------------------------------------------------------------------
    // Streams of the size the whole-gateway bench's fake sends: 18 content pieces between the
    // provider's opening and closing events.

    /** Content pieces in a sample translated stream. */
    static final int PIECES = 18;

    /** An OpenAI chat stream: role chunk, content chunks, finish chunk, usage chunk, [DONE]. */
    static List<SseEvent> chatEvents() {
        List<SseEvent> events = new ArrayList<>();
        events.add(data(chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", "null")));
        for (int i = 0; i < PIECES; i++) {
            events.add(data(contentChunk(i)));
        }
        events.add(data(chunk("{}", "\"stop\"")));
        events.add(data(usageChunk()));
        events.add(data("[DONE]"));
        return events;
    }

    private static String chunk(String delta, String finish) {
        return "{\"id\":\"chatcmpl-AbCdEf0123456789\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0123456789\",\"choices\":[{\"index\":0,"
                + "\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finish + "}]}";
    }

    /** A Messages stream as Anthropic sends it, ping included. */
    static List<SseEvent> messagesEvents() {
        List<SseEvent> events = new ArrayList<>();
        events.add(named("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5-20250929\","
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":1200,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":1024,\"output_tokens\":1}}}"));
        events.add(named("content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        events.add(named("ping", "{\"type\": \"ping\"}"));
        for (int i = 0; i < PIECES; i++) {
            events.add(messagesDelta(i));
        }
        events.add(named("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        events.add(named("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":99}}"));
        events.add(named("message_stop", "{\"type\":\"message_stop\"}"));
        return events;
    }

    static SseEvent messagesDelta(int i) {
        return named("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\" token" + i + "\"}}");
    }

    /** A Gemini {@code streamGenerateContent?alt=sse} stream; every chunk carries usage, the last the finish. */
    static List<SseEvent> geminiEvents() {
        List<SseEvent> events = new ArrayList<>();
        for (int i = 0; i < PIECES; i++) {
            events.add(data(geminiChunk(i, i == PIECES - 1)));
        }
        return events;
    }

    static String geminiChunk(int i, boolean last) {
        return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" token" + i + "\"}],\"role\":\"model\"}"
                + (last ? ",\"finishReason\":\"STOP\"" : "") + ",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":1200,"
                + "\"candidatesTokenCount\":" + (i + 1) + ",\"totalTokenCount\":" + (1201 + i) + "},"
                + "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"mB3kaNbqBOqnkdUPk5zL-Ak\"}";
    }

    /** A Responses stream with one message, as the OpenAI Responses API sends it. */
    static List<SseEvent> responsesEvents() {
        String response = "{\"id\":\"resp_0123456789abcdef\",\"object\":\"response\",\"created_at\":1700000000,"
                + "\"status\":\"%s\",\"model\":\"gpt-5-codex\",\"output\":[%s],\"usage\":%s}";
        String item = "{\"id\":\"msg_0123456789abcdef\",\"type\":\"message\",\"status\":\"%s\",\"role\":\"assistant\","
                + "\"content\":[%s]}";
        String text = " token0".repeat(PIECES);
        String part = "{\"type\":\"output_text\",\"annotations\":[],\"text\":\"%s\"}";
        List<SseEvent> events = new ArrayList<>();
        int[] sequence = {0};
        java.util.function.BiConsumer<String, String> add = (type, body) -> events.add(named(type,
                "{\"type\":\"" + type + "\",\"sequence_number\":" + sequence[0]++ + "," + body + "}"));
        add.accept("response.created", "\"response\":" + response.formatted("in_progress", "", "null"));
        add.accept("response.in_progress", "\"response\":" + response.formatted("in_progress", "", "null"));
        add.accept("response.output_item.added", "\"output_index\":0,\"item\":" + item.formatted("in_progress", ""));
        add.accept("response.content_part.added", "\"item_id\":\"msg_0123456789abcdef\",\"output_index\":0,"
                + "\"content_index\":0,\"part\":" + part.formatted(""));
        for (int i = 0; i < PIECES; i++) {
            add.accept("response.output_text.delta", responsesDeltaBody());
        }
        add.accept("response.output_text.done", "\"item_id\":\"msg_0123456789abcdef\",\"output_index\":0,"
                + "\"content_index\":0,\"text\":\"" + text + "\",\"logprobs\":[]");
        add.accept("response.content_part.done", "\"item_id\":\"msg_0123456789abcdef\",\"output_index\":0,"
                + "\"content_index\":0,\"part\":" + part.formatted(text));
        String done = item.formatted("completed", part.formatted(text));
        add.accept("response.output_item.done", "\"output_index\":0,\"item\":" + done);
        add.accept("response.completed", "\"response\":" + response.formatted("completed", done,
                "{\"input_tokens\":1200,\"input_tokens_details\":{\"cached_tokens\":1024},\"output_tokens\":99,"
                        + "\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":1299}"));
        return events;
    }

    static String responsesDeltaBody() {
        return "\"item_id\":\"msg_0123456789abcdef\",\"output_index\":0,\"content_index\":0,\"delta\":\" token0\","
                + "\"logprobs\":[]";
    }

    static SseEvent responsesDelta() {
        return named("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"sequence_number\":7,"
                + responsesDeltaBody() + "}");
    }

    static SseEvent data(String json) {
        return event(null, json);
    }

    static SseEvent named(String name, String json) {
        return event(name, json);
    }

    private static SseEvent event(String name, String json) {
        String raw = (name == null ? "" : "event: " + name + "\n") + "data: " + json + "\n\n";
        return new SseEvent(raw.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8), name, true);
    }

    // --- client requests and whole answers ---------------------------------------------------------
    // One conversation in each API: a system prompt, two user turns, a tool call and its result,
    // two tools; about 2 KB, like an agent's early turn.

    private static final String SYSTEM = "You are a careful coding assistant. Answer briefly and cite files.";
    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\","
            + "\"description\":\"File to read, relative to the repository root\"}},\"required\":[\"path\"]}";
    private static final String SEARCH_SCHEMA = "{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\"},"
            + "\"limit\":{\"type\":\"integer\",\"minimum\":1}},\"required\":[\"query\"]}";
    private static final String FILE = "package dev.example;\\n\\npublic final class Main {\\n    public static void main("
            + "String[] args) {\\n        System.out.println(\\\"hello\\\");\\n    }\\n}\\n";

    static byte[] chatBody(String model, boolean stream) {
        return ("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"system\",\"content\":\"" + SYSTEM + "\"},"
                + "{\"role\":\"user\",\"content\":\"What does Main.java print? Read it first.\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_abc123\",\"type\":\"function\","
                + "\"function\":{\"name\":\"read_file\",\"arguments\":\"{\\\"path\\\":\\\"src/Main.java\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_abc123\",\"content\":\"" + FILE + "\"},"
                + "{\"role\":\"user\",\"content\":\"And how would I make it print the arguments too?\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"read_file\",\"description\":\"Reads a file\","
                + "\"parameters\":" + SCHEMA + "}},{\"type\":\"function\",\"function\":{\"name\":\"search\","
                + "\"description\":\"Searches the repository\",\"parameters\":" + SEARCH_SCHEMA + "}}],"
                + "\"temperature\":0.2,\"max_tokens\":1024" + (stream ? ",\"stream\":true" : "") + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] messagesBody(String model, boolean stream) {
        return ("{\"model\":\"" + model + "\",\"max_tokens\":1024,\"system\":\"" + SYSTEM + "\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"What does Main.java print? Read it first.\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_abc123\",\"name\":\"read_file\","
                + "\"input\":{\"path\":\"src/Main.java\"}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_abc123\",\"content\":\""
                + FILE + "\"},{\"type\":\"text\",\"text\":\"And how would I make it print the arguments too?\"}]}],"
                + "\"tools\":[{\"name\":\"read_file\",\"description\":\"Reads a file\",\"input_schema\":" + SCHEMA + "},"
                + "{\"name\":\"search\",\"description\":\"Searches the repository\",\"input_schema\":" + SEARCH_SCHEMA + "}],"
                + "\"temperature\":0.2" + (stream ? ",\"stream\":true" : "") + "}").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] geminiBody() {
        return ("{\"systemInstruction\":{\"parts\":[{\"text\":\"" + SYSTEM + "\"}]},\"contents\":["
                + "{\"role\":\"user\",\"parts\":[{\"text\":\"What does Main.java print? Read it first.\"}]},"
                + "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"read_file\",\"args\":{\"path\":\"src/Main.java\"}}}]},"
                + "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"read_file\",\"response\":{\"content\":\""
                + FILE + "\"}}},{\"text\":\"And how would I make it print the arguments too?\"}]}],"
                + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"read_file\",\"description\":\"Reads a file\","
                + "\"parameters\":" + SCHEMA + "},{\"name\":\"search\",\"description\":\"Searches the repository\","
                + "\"parameters\":" + SEARCH_SCHEMA + "}]}],\"generationConfig\":{\"temperature\":0.2,\"maxOutputTokens\":1024}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] responsesBody(String model, boolean stream) {
        return ("{\"model\":\"" + model + "\",\"instructions\":\"" + SYSTEM + "\",\"input\":["
                + "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":"
                + "\"What does Main.java print? Read it first.\"}]},"
                + "{\"type\":\"function_call\",\"call_id\":\"call_abc123\",\"name\":\"read_file\","
                + "\"arguments\":\"{\\\"path\\\":\\\"src/Main.java\\\"}\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"call_abc123\",\"output\":\"" + FILE + "\"},"
                + "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":"
                + "\"And how would I make it print the arguments too?\"}]}],"
                + "\"tools\":[{\"type\":\"function\",\"name\":\"read_file\",\"description\":\"Reads a file\","
                + "\"parameters\":" + SCHEMA + "},{\"type\":\"function\",\"name\":\"search\","
                + "\"description\":\"Searches the repository\",\"parameters\":" + SEARCH_SCHEMA + "}],"
                + "\"store\":false" + (stream ? ",\"stream\":true" : "") + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** A whole Messages answer of about 1 KB. */
    static byte[] message() {
        return ("{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\",\"role\":\"assistant\","
                + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\",\"text\":\""
                + "Two, three and five are prime. ".repeat(20) + "\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":1200,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":1024,"
                + "\"output_tokens\":140}}").getBytes(StandardCharsets.UTF_8);
    }

    /** A whole Gemini answer of about 1 KB. */
    static byte[] generateContent() {
        return ("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + "Two, three and five are prime. ".repeat(20)
                + "\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{"
                + "\"promptTokenCount\":1200,\"candidatesTokenCount\":140,\"totalTokenCount\":1340},"
                + "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"mB3kaNbqBOqnkdUPk5zL-Ak\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
