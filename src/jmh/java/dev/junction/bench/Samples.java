package dev.junction.bench;

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
}
