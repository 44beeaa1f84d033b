package dev.junction.relay;

import dev.junction.config.ChannelConfig;
import dev.junction.core.Clock;
import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.core.canonical.Part;
import dev.junction.http.CancelSignal;
import dev.junction.http.UpstreamClient;
import dev.junction.http.UpstreamFailure;
import dev.junction.http.UpstreamResponse;
import dev.junction.protocol.ProviderError;
import dev.junction.protocol.ProviderExchange;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard's "Test" button: one real request for at most one token to a channel's upstream,
 * in the channel's own wire format, with its first key: the very ping health checks and circuit
 * probes send ({@link ProbeCall#exchange}), so a {@code responses: true} channel is tested on
 * {@code POST /responses}. It says how long the upstream took and what it answered, or the
 * provider's own error.
 */
public final class ChannelTest {

    /** The longest a test waits for the upstream. */
    static final Duration LIMIT = Duration.ofSeconds(30);
    private static final int MAX_BODY = 1 << 20;

    /**
     * What the test showed.
     *
     * @param ok whether the upstream answered 2xx with an answer the gateway reads
     * @param status the upstream's HTTP status, 0 when none arrived
     * @param latencyMillis from sending to the whole answer
     * @param answer the text answered, when ok
     * @param error the provider's error message or what went wrong, when not ok
     */
    public record Result(boolean ok, int status, long latencyMillis, Optional<String> answer,
            Optional<String> error) {

        public Result {
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(error, "error");
        }
    }

    private ChannelTest() {
    }

    /** Sends the ping for {@code upstreamModel} with the channel's first key (none when it has none). */
    public static Result run(UpstreamClient upstream, ChannelConfig config, String upstreamModel, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(upstreamModel, "upstreamModel");
        String secret = config.apiKeys().isEmpty() ? null : config.apiKeys().getFirst();
        ProviderExchange exchange = ProbeCall.exchange(config, secret, upstreamModel);
        Duration limit = config.timeouts().total().compareTo(LIMIT) < 0 ? config.timeouts().total() : LIMIT;
        long start = clock.nanoTime();
        try (UpstreamResponse response = upstream.send(ProbeCall.request(config, exchange.call(), limit, limit),
                new CancelSignal())) {
            byte[] body = response.readAll(MAX_BODY);
            long millis = TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - start);
            int status = response.status();
            if (status < 200 || status >= 300) {
                ProviderError error = ProviderError.read(body);
                return new Result(false, status, millis, Optional.empty(), Optional.of(
                        (error.type().isEmpty() ? "" : error.type() + ": ") + error.message()));
            }
            try {
                return new Result(true, status, millis, Optional.of(text(exchange.decode(body))), Optional.empty());
            } catch (RuntimeException e) { // MalformedAnswerException, or a decoder surprised
                return new Result(false, status, millis, Optional.empty(),
                        Optional.of("the upstream answered 2xx with something that is not its API's answer: "
                                + e.getMessage()));
            }
        } catch (UpstreamFailure e) {
            return new Result(false, 0, TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - start), Optional.empty(),
                    Optional.of(e.getMessage()));
        }
    }

    private static String text(CanonicalResponse response) {
        StringBuilder text = new StringBuilder();
        for (Part part : response.content()) {
            if (part instanceof Part.Text t) {
                text.append(t.text());
            }
        }
        return text.toString();
    }
}
