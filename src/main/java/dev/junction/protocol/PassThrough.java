package dev.junction.protocol;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.TokenUsage;
import dev.junction.http.SseEvent;

/**
 * The same-API path: the client's bytes go upstream with only the model and the credential changed,
 * and the answer comes back as the provider sent it, read on the way for usage and for the point
 * where real content begins.
 */
public interface PassThrough {

    /**
     * The upstream call.
     *
     * @param upstreamModel the channel's name for the model
     * @param apiKey the provider credential, or null for an upstream without auth
     */
    ProviderCall call(String upstreamModel, String apiKey, ChannelQuirks quirks);

    /** Reads a whole 2xx answer. */
    Whole inspect(byte[] body);

    /**
     * Whether a provider's error body reaches the client as the provider wrote it. False for a
     * route whose provider speaks another shape than the client (embeddings from Gemini to an
     * OpenAI client), whose errors are rewritten in the client's shape.
     */
    default boolean verbatimErrors() {
        return true;
    }

    /**
     * Whether a 2xx answer with this {@code Content-Type} (null when absent) goes to the client
     * byte for byte as it arrives, committed at its first byte (speech audio, a transcript as text),
     * rather than read whole ({@link #inspect}) or as events ({@link #scanner}).
     */
    default boolean relaysRaw(String contentType) {
        return false;
    }

    /** A reader for one event stream. */
    StreamScanner scanner();

    /**
     * The answer a broken stream showed the client, read back from the events relayed (in order),
     * so that another candidate can continue it: the text so far, and an encoder for the client's
     * API already in the state those events left the client in (the provider's ids, the open
     * content block or item, the next index or sequence number), so that what it writes next
     * continues the same stream. Null when the answer cannot be continued: a tool call or a finish
     * was shown, or the events cannot be read. Only called after a break, so passing through costs
     * nothing more than keeping the events.
     */
    default Resumed resume(java.util.List<SseEvent> relayed) {
        return null;
    }

    /**
     * A request that asks a channel of the client's own API to continue an answer, sent as
     * {@code route}'s call, whose event stream {@code decoder} reads as canonical events (for the
     * client encoder that wrote the first part).
     */
    record Continued(PassThrough route, StreamDecoder decoder) {
    }

    /**
     * A pass-through answer, ready to be continued.
     *
     * @param text the answer's text the client has seen
     * @param encoder writes the continuation's canonical events in the client's API, continuing the stream
     */
    record Resumed(String text, ClientStream encoder) {
    }

    /**
     * What a whole answer turned out to be.
     *
     * @param usage tokens, or null when the answer says nothing of them
     * @param problem why this is not a usable answer, or null when it is one
     * @param body what the client gets instead of the provider's bytes, or null for those bytes
     */
    record Whole(TokenUsage usage, Problem problem, byte[] body) {

        public Whole(TokenUsage usage, Problem problem) {
            this(usage, problem, null);
        }

        /** A usable answer. */
        public static Whole answer(TokenUsage usage) {
            return new Whole(usage, null, null);
        }

        /** Not a usable answer. */
        public static Whole problem(Problem problem) {
            return new Whole(null, problem, null);
        }
    }

    /**
     * Why a 2xx answer cannot go to the client. The kind decides how the relay counts the try
     * (garbage from a broken upstream or proxy, or a failure the upstream reported in JSON); the
     * description names it in the attempt's outcome.
     */
    sealed interface Problem {

        /** The problem in words, for the attempt's outcome ({@code HTTP 200 with …}). */
        String description();

        /** The body is not JSON at all: an HTML page from a proxy, a truncated body. */
        NotJson NOT_JSON = new NotJson();

        /** A well-formed body that is not the answer: an error object, missing parts. */
        static Problem notAnAnswer(String description) {
            return new NotAnAnswer(description);
        }

        record NotJson() implements Problem {
            @Override
            public String description() {
                return "a body that is not JSON";
            }
        }

        /** @param description what the body is instead, e.g. {@code an error object instead of a message} */
        record NotAnAnswer(String description) implements Problem {
            public NotAnAnswer {
                java.util.Objects.requireNonNull(description, "description");
            }
        }
    }

    /** Reads one stream's events. */
    interface StreamScanner {

        /** What one event (with data) is. */
        Verdict scan(SseEvent event);

        /** Whether the end of the stream now would be a clean end. */
        boolean complete();

        /** Bytes to send when the stream ended cleanly without its own terminator (may be empty). */
        byte[] terminator();

        /** Tokens reported so far, or null. */
        TokenUsage usage();

        /**
         * The fields whose string values are text the client sees (answer, reasoning, tool-call
         * arguments), read from content events to estimate the tokens delivered when the provider
         * reports none ({@link TextFields}).
         */
        default java.util.Set<String> textFields() {
            return java.util.Set.of();
        }
    }

    /** The kinds of stream events, as far as commit and failover care. */
    enum Verdict {
        /** Bookkeeping with nothing to show (role-only chunk, message_start, ping): held until content. */
        LIFECYCLE,
        /** Something a person sees, or a finish: commits the stream. */
        CONTENT,
        /**
         * Part of a tool call that is not complete yet (its start, an argument delta): held until
         * the next event that is not (the call's end, other content, the finish), then sent with it,
         * so that a stream cut inside a call never shows the client part of one.
         */
        TOOL,
        /** Not for this client (the usage chunk the gateway asked for on its behalf): dropped. */
        HIDDEN,
        /** The provider's own end of stream: sent, and the answer is complete. */
        DONE,
        /** The provider reported an error inside the stream. */
        ERROR,
        /** Unreadable. */
        MALFORMED
    }
}
