package dev.junction.protocol.anthropic;

import dev.junction.http.SseEvent;
import dev.junction.protocol.MalformedAnswerException;

/**
 * The check that the pass-through's type read on {@link dev.junction.protocol.PlainJson} and
 * Jackson's reading of the whole event ({@link MessagesEvent#read}) agree: whenever the first
 * answers, the second reads the event without error and to the same type. Public for the fuzz
 * targets.
 */
public final class MessagesEventAgreement {

    private MessagesEventAgreement() {
    }

    /**
     * @return whether the plain read answered
     * @throws AssertionError when the two disagree
     */
    public static boolean check(SseEvent event) {
        String plain = MessagesEvent.plainType(event);
        if (plain == null) {
            return false;
        }
        String read;
        try {
            read = MessagesEvent.read(event.data()).type(event);
        } catch (MalformedAnswerException e) {
            throw new AssertionError("the plain read found type " + plain + " where Jackson refused: " + e.getMessage()
                    + " in " + new String(event.data(), java.nio.charset.StandardCharsets.UTF_8), e);
        }
        if (!plain.equals(read)) {
            throw new AssertionError("the plain read found type " + plain + ", Jackson " + read + " in "
                    + new String(event.data(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return true;
    }
}
