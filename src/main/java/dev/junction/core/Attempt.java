package dev.junction.core;

/**
 * One try of one channel within a request: made by the relay, stored with the request's usage.
 *
 * @param channel channel name
 * @param keySuffix last characters of the provider key used, or empty
 * @param status upstream HTTP status, 0 when none arrived
 * @param outcome what happened, in words (e.g. {@code ok}, {@code HTTP 429}, {@code connection refused})
 * @param millis time spent on this try
 */
public record Attempt(String channel, String keySuffix, int status, String outcome, long millis) {

    /** {@code zhipu: HTTP 429 (rate limited)} — for error messages and logs. */
    public String describe() {
        return channel + ": " + outcome;
    }
}
