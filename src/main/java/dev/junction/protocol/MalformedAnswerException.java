package dev.junction.protocol;

/** A provider answered 2xx with something that is not a valid answer in its own format. */
public final class MalformedAnswerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedAnswerException(String message) {
        super(message, null, false, false);
    }
}
