package dev.junction.protocol;

import dev.junction.core.TokenUsage;
import dev.junction.http.SseEvent;

/**
 * The same-API path: the client's bytes go upstream with only the model and the credential changed,
 * and the answer comes back as the provider sent it, read on the way for usage and for the point
 * where real content begins. Besides the {@link Route}'s call and whole answer, it reads the
 * answer's event stream.
 */
public interface PassThrough extends Route {

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
