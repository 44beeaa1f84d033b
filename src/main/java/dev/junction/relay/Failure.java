package dev.junction.relay;

import dev.junction.http.UpstreamFailure;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The failover table: every way an attempt can fail, what it says about the key or channel, and
 * whether it counts toward the channel's circuit breaker. An upstream answer that is not listed
 * here (a 4xx about the request itself) is the client's to see, and stops the request.
 *
 * <pre>
 * upstream outcome                                   failure           effect
 * 429                                                RATE_LIMITED      key rests for Retry-After / retry-after-ms
 *                                                                      (else failover.cooldown); next key or channel
 * 401, 403                                           KEY_REJECTED      key disabled until a probe succeeds; next key or channel
 * 500, 502, 503, 504, 529, other 5xx, 408, 425       SERVER_ERROR      next channel; breaker counts it
 * connection refused or reset, TLS failure           NETWORK           next channel; breaker counts it
 * connect / first-byte / idle / total timeout        TIMEOUT           next channel; breaker counts it
 * 200 that is not JSON, stream broken before content INVALID_RESPONSE  next channel; breaker counts it
 * 3xx (a redirect: never followed, the key stays)    INVALID_RESPONSE  next channel; breaker counts it
 * 400/413/422 about context length or an unsupported
 *   feature, 404 (the channel lacks the model)       CANNOT_SERVE      next channel; no breaker count
 * any other 4xx                                      (none)            relayed to the client, no failover
 * </pre>
 */
enum Failure {
    RATE_LIMITED(true, false),
    KEY_REJECTED(true, false),
    SERVER_ERROR(false, true),
    NETWORK(false, true),
    TIMEOUT(false, true),
    INVALID_RESPONSE(false, true),
    CANNOT_SERVE(false, false);

    private final boolean keyScoped;
    private final boolean countsTowardBreaker;

    Failure(boolean keyScoped, boolean countsTowardBreaker) {
        this.keyScoped = keyScoped;
        this.countsTowardBreaker = countsTowardBreaker;
    }

    /** True when the fault lies with one key: the channel may still be tried with another key. */
    boolean keyScoped() {
        return keyScoped;
    }

    boolean countsTowardBreaker() {
        return countsTowardBreaker;
    }

    /** Phrases providers use for "this request is too big / uses something this model lacks". */
    private static final String[] CANNOT_SERVE_HINTS = {
        "context_length_exceeded", "context length", "maximum context", "context window", "too many tokens",
        "prompt is too long", "input is too long", "reduce the length", "string_above_max_length",
        "exceeds the maximum number of tokens", "not supported", "unsupported", "does not support", "model_not_found",
        "no such model"
    };

    /** The failure an upstream HTTP status means; empty when the answer belongs to the client. */
    static Optional<Failure> ofStatus(int status, byte[] body) {
        if (status == 429) {
            return Optional.of(RATE_LIMITED);
        }
        if (status == 401 || status == 403) {
            return Optional.of(KEY_REJECTED);
        }
        if (status >= 500 || status == 408 || status == 425) {
            return Optional.of(SERVER_ERROR);
        }
        if (status >= 300 && status < 400) {
            // A redirect is never followed: the provider key would go to whatever host it names.
            return Optional.of(INVALID_RESPONSE);
        }
        if (status == 404) {
            return Optional.of(CANNOT_SERVE);
        }
        if (status == 400 || status == 413 || status == 422) {
            String text = new String(body, 0, Math.min(body.length, 4096), StandardCharsets.UTF_8)
                    .toLowerCase(Locale.ROOT);
            for (String hint : CANNOT_SERVE_HINTS) {
                if (text.contains(hint)) {
                    return Optional.of(CANNOT_SERVE);
                }
            }
        }
        return Optional.empty();
    }

    /** The failure a transport problem means. */
    static Failure ofTransport(UpstreamFailure.Kind kind) {
        return switch (kind) {
            case CONNECT_TIMEOUT, FIRST_BYTE_TIMEOUT, IDLE_TIMEOUT, TOTAL_TIMEOUT -> TIMEOUT;
            case BODY_TOO_LARGE -> INVALID_RESPONSE;
            case CONNECT_REFUSED, TLS, RESET, IO, CANCELLED -> NETWORK;
        };
    }
}
