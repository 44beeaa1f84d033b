package dev.junction.governance;

/**
 * Rate and concurrency limits of one key, user or team; 0 means no limit of that kind.
 *
 * @param rpm requests per calendar minute (fixed window aligned to the minute, UTC)
 * @param tpm tokens (input + output) per calendar minute; a request reserves its upper bound
 *     when admitted and its real count replaces it when it ends
 * @param concurrent requests in flight at once
 */
public record Limits(long rpm, long tpm, long concurrent) {

    public static final Limits NONE = new Limits(0, 0, 0);

    public Limits {
        if (rpm < 0 || tpm < 0 || concurrent < 0) {
            throw new IllegalArgumentException("limits are never negative");
        }
    }

    public boolean none() {
        return rpm == 0 && tpm == 0 && concurrent == 0;
    }
}
