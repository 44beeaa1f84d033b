package dev.junction.fuzz;

import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.protocol.MalformedAnswerException;
import java.util.Set;

/**
 * The property every fuzz target checks: for any input the code under test returns, or throws the
 * project's own exception for bad input. Anything else (NPE, index, class-cast, number-format,
 * stack overflow) escapes the target, and Jazzer reports it as a finding with the input that did it.
 */
final class Outcomes {

    /** What the input may be refused with. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private Outcomes() {
    }

    /** A client's input: a value, or the client's own 400 ({@link ErrorKind#INVALID_REQUEST}). */
    static boolean clientInput(Step step) throws Exception {
        return clientInput(step, Set.of(ErrorKind.INVALID_REQUEST));
    }

    /**
     * As {@link #clientInput(Step)}, also allowing the given kinds.
     *
     * @return whether the step returned normally
     */
    static boolean clientInput(Step step, Set<ErrorKind> allowed) throws Exception {
        try {
            step.run();
            return true;
        } catch (GatewayException e) {
            if (!allowed.contains(e.kind())) {
                throw new AssertionError("refused with " + e.kind() + " instead of " + allowed + ": "
                        + e.getMessage(), e);
            }
            return false;
        }
    }

    /** A provider's answer: a value, or {@link MalformedAnswerException}. */
    static boolean providerAnswer(Step step) throws Exception {
        try {
            step.run();
            return true;
        } catch (MalformedAnswerException e) {
            return false;
        }
    }
}
