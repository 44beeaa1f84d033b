package dev.junction.metrics;

import dev.junction.core.Attempt;
import dev.junction.core.EndReason;
import dev.junction.core.ErrorKind;
import dev.junction.core.TokenUsage;
import dev.junction.usage.RequestEnd;
import dev.junction.usage.UsageRecord;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Request ends made by hand for the observers' tests. */
final class Ends {

    static final Instant AT = Instant.parse("2026-12-03T10:15:30.123Z");

    private Ends() {
    }

    /** A streamed chat request for {@code model} served by the last of {@code attempts}. */
    static RequestEnd served(String model, String key, TokenUsage tokens, long firstByteMillis, long admittedMillis,
            long elapsedMillis, Attempt... attempts) {
        String channel = attempts[attempts.length - 1].channel();
        UsageRecord row = new UsageRecord("req-1", AT, key, model, channel, "up-" + model, 200, tokens, elapsedMillis,
                firstByteMillis, true, List.of(attempts), EndReason.DONE);
        return new RequestEnd(row, "POST", "/v1/chat/completions", "10.0.0.7", null,
                TimeUnit.MILLISECONDS.toNanos(admittedMillis), TimeUnit.MILLISECONDS.toNanos(elapsedMillis));
    }

    /** A chat request every channel failed, with {@code status}. */
    static RequestEnd failed(String model, int status, Attempt... attempts) {
        UsageRecord row = new UsageRecord("req-2", AT, "laptop", model, null, null, status, TokenUsage.NONE, 900, -1,
                false, List.of(attempts), EndReason.FAILED);
        return new RequestEnd(row, "POST", "/v1/chat/completions", "", null, TimeUnit.MILLISECONDS.toNanos(1),
                TimeUnit.MILLISECONDS.toNanos(900));
    }

    /** A request refused as {@code kind} before anything was relayed. */
    static RequestEnd refused(String path, String model, ErrorKind kind) {
        UsageRecord row = new UsageRecord("req-3", AT, null, model, null, null, kind.status(), TokenUsage.NONE, 0, -1,
                false, List.of(), EndReason.REJECTED);
        return new RequestEnd(row, "POST", path, "", kind, -1, 50_000);
    }

    /** A relayed request with {@code end}, served by {@code channel}. */
    static RequestEnd ended(EndReason end, int status, String channel) {
        UsageRecord row = new UsageRecord("req-4", AT, "laptop", "chat", channel, "up", status, TokenUsage.NONE, 10, 5,
                true, List.of(new Attempt(channel, "abcd", 200, "ok", 3)), end);
        return new RequestEnd(row, "POST", "/v1/messages", "", null, 0, TimeUnit.MILLISECONDS.toNanos(10));
    }
}
