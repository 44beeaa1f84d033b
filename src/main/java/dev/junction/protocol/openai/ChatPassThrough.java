package dev.junction.protocol.openai;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.TokenUsage;
import dev.junction.http.SseEvent;
import dev.junction.protocol.PassThrough;
import dev.junction.protocol.ProviderCall;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * OpenAI chat completions to an OpenAI-style channel, byte for byte: only {@code model} and the
 * credential change (plus the channel's quirks), and for streams the gateway asks for usage. The
 * answer is scanned, never rebuilt.
 */
final class ChatPassThrough implements PassThrough {

    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ChatRequest request;

    ChatPassThrough(ChatRequest request) {
        this.request = request;
    }

    @Override
    public ProviderCall call(String upstreamModel, String apiKey, ChannelQuirks quirks) {
        Map<String, String> headers = new HashMap<>();
        if (apiKey != null) {
            headers.put("Authorization", "Bearer " + apiKey);
        }
        headers.put("Accept", request.stream() ? "text/event-stream" : "application/json");
        return new ProviderCall("/chat/completions", headers, request.forUpstream(upstreamModel, quirks));
    }

    @Override
    public Whole inspect(byte[] body) {
        ChunkScan scan;
        try {
            scan = ChunkScan.of(body);
        } catch (IllegalArgumentException e) {
            return Whole.problem(Problem.NOT_JSON);
        }
        if (scan.error() && !scan.hasChoices()) {
            return Whole.problem(Problem.notAnAnswer("an error object instead of a completion"));
        }
        return Whole.answer(scan.usage());
    }

    @Override
    public StreamScanner scanner() {
        return new Scanner(!request.clientWantsUsage());
    }

    /** Reads {@code chat.completion.chunk} events: content starts the stream, {@code [DONE]} ends it. */
    private static final class Scanner implements StreamScanner {
        private static final java.util.Set<String> TEXT_FIELDS = java.util.Set.of("content", "reasoning_content",
                "reasoning", "refusal", "arguments");
        private final boolean hideUsageChunk;
        private TokenUsage usage;
        private boolean finished;

        Scanner(boolean hideUsageChunk) {
            this.hideUsageChunk = hideUsageChunk;
        }

        @Override
        public Verdict scan(SseEvent event) {
            if (ChunkScan.isDone(event.data())) {
                return Verdict.DONE;
            }
            ChunkScan scan;
            try {
                scan = ChunkScan.of(event.data());
            } catch (IllegalArgumentException e) {
                return Verdict.MALFORMED;
            }
            if (scan.error()) {
                return Verdict.ERROR;
            }
            if (scan.usage() != null) {
                usage = scan.usage();
            }
            finished |= scan.finished();
            if (hideUsageChunk && scan.usage() != null && scan.choicesEmpty()) {
                return Verdict.HIDDEN; // the usage chunk the gateway asked for; this client did not
            }
            return scan.hasContent() ? Verdict.CONTENT : Verdict.LIFECYCLE;
        }

        /** Some providers end with a finish_reason and close without {@code [DONE]}: complete all the same. */
        @Override
        public boolean complete() {
            return finished;
        }

        @Override
        public byte[] terminator() {
            return DONE;
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
