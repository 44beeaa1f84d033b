package dev.junction.protocol.responses;

import dev.junction.protocol.MalformedAnswerException;
import java.nio.charset.StandardCharsets;

/**
 * The check that {@link ResponsesEvent#plain} and Jackson's {@link ResponsesEvent#parse} agree:
 * whenever the first answers, the second reads the event without error and to the same value.
 * Public for the fuzz targets.
 */
public final class ResponsesEventAgreement {

    private ResponsesEventAgreement() {
    }

    /**
     * @return whether the plain read answered
     * @throws AssertionError when the two disagree
     */
    public static boolean check(byte[] data) {
        ResponsesEvent plain = ResponsesEvent.plain(data);
        if (plain == null) {
            return false;
        }
        ResponsesEvent parsed;
        try {
            parsed = ResponsesEvent.parse(data);
        } catch (MalformedAnswerException e) {
            throw new AssertionError("the plain read found " + plain + " where Jackson refused: " + e.getMessage()
                    + " in " + new String(data, StandardCharsets.UTF_8), e);
        }
        if (!plain.equals(parsed)) {
            throw new AssertionError("the plain read found " + plain + ", Jackson " + parsed + " in "
                    + new String(data, StandardCharsets.UTF_8));
        }
        return true;
    }
}
