package dev.junction.protocol;

import dev.junction.core.canonical.StreamEvent;
import dev.junction.http.SseEvent;
import java.util.List;

/**
 * Reads back the events a pass-through stream relayed before it broke, with the stream decoder of
 * the client's own API, into a client encoder whose output is dropped: the encoder ends up in the
 * state the client is in (message started, the open text block and its index), and the text so far
 * is collected. Only text (and reasoning before it) can be continued: an answer that showed a tool
 * call, a refusal or a finish is not.
 */
public final class Replay {

    private Replay() {
    }

    /**
     * @return the text the client has seen, or null when the answer cannot be continued
     */
    public static String prime(StreamDecoder decoder, List<SseEvent> relayed, ClientStream encoder) {
        StringBuilder text = new StringBuilder();
        try {
            for (SseEvent event : relayed) {
                for (StreamEvent canonical : decoder.decode(event)) {
                    switch (canonical) {
                        case StreamEvent.TextDelta delta -> text.append(delta.text());
                        case StreamEvent.Started _, StreamEvent.ReasoningDelta _, StreamEvent.ReasoningSignature _,
                                StreamEvent.UsageReport _, StreamEvent.Ping _ -> {
                        }
                        default -> {
                            return null; // a tool call, refusal, redacted reasoning, finish or error
                        }
                    }
                    encoder.encode(canonical);
                }
            }
        } catch (MalformedAnswerException e) {
            return null;
        }
        return text.isEmpty() ? null : text.toString();
    }
}
