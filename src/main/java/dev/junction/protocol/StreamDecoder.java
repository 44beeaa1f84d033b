package dev.junction.protocol;

import dev.junction.core.canonical.StreamEvent;
import dev.junction.http.SseEvent;
import java.util.List;

/**
 * Turns one provider's server-sent events into canonical events. Stateful (block numbering,
 * tool-call counting, usage so far), one per stream; it keeps no more than the current block's
 * bookkeeping, so memory stays bounded however long the answer runs.
 */
public interface StreamDecoder {

    /**
     * The canonical events one upstream event stands for, possibly none.
     *
     * @throws MalformedAnswerException when the event cannot be read
     */
    List<StreamEvent> decode(SseEvent event);

    /** Whether the upstream has said the answer is complete, so the end of the stream is clean. */
    boolean complete();
}
