package dev.junction.metrics;

import dev.junction.core.TokenUsage;
import dev.junction.usage.RequestEnd;
import dev.junction.usage.RequestObserver;
import dev.junction.usage.UsageRecord;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one JSON line per request on the {@value #LOGGER} logger, at INFO. The line holds
 * what an operator needs to follow a request (id, time, client API, method, path, status, models,
 * channel, attempts, tokens, latency, time to first byte, end reason, key name, client address) and
 * nothing that could leak: no prompt or answer text, no secrets (the key by its name only), no query
 * string (Gemini clients put {@code ?key=} there).
 *
 * <p>The line is built on the request thread (a few hundred bytes, well under a microsecond); where it
 * goes, and on which thread, is logback's business: the shipped {@code logback.xml} hands it to an
 * asynchronous appender writing to standard output, which drops lines rather than block a request
 * when its queue is full. Setting the logger's level to OFF turns the log off.
 */
public final class AccessLog implements RequestObserver {

    /** The logger the lines go to. */
    public static final String LOGGER = "junction.access";

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Logger log;

    private AccessLog(Logger log) {
        this.log = log;
    }

    /** The access log on the {@value #LOGGER} logger. */
    public static AccessLog create() {
        return new AccessLog(LoggerFactory.getLogger(LOGGER));
    }

    @Override
    public void onEnd(RequestEnd end) {
        if (log.isInfoEnabled()) {
            log.info(line(end));
        }
    }

    /** The JSON line for one request (without the line break). */
    public static String line(RequestEnd end) {
        Objects.requireNonNull(end, "end");
        UsageRecord r = end.record();
        TokenUsage t = r.tokens();
        StringBuilder json = new StringBuilder(400);
        json.append("{\"time\":");
        string(json, r.at().toString());
        json.append(",\"request_id\":");
        string(json, r.requestId());
        json.append(",\"api\":\"").append(ClientApi.of(end.path()).label());
        json.append("\",\"method\":");
        string(json, end.method());
        json.append(",\"path\":");
        string(json, end.path());
        json.append(",\"status\":").append(r.status());
        json.append(",\"model\":");
        string(json, r.publicModel());
        json.append(",\"stream\":").append(r.stream());
        json.append(",\"channel\":");
        string(json, r.channel());
        json.append(",\"upstream_model\":");
        string(json, r.upstreamModel());
        json.append(",\"attempts\":").append(r.attempts().size());
        json.append(",\"tokens\":{\"input\":").append(t.input());
        json.append(",\"output\":").append(t.output());
        json.append(",\"cached_read\":").append(t.cacheRead());
        json.append(",\"cache_write\":").append(t.cacheWrite());
        json.append(",\"reasoning\":").append(t.reasoning());
        json.append("},\"latency_ms\":").append(TimeUnit.NANOSECONDS.toMillis(end.elapsedNanos()));
        json.append(",\"ttft_ms\":");
        if (r.firstByteMillis() >= 0) {
            json.append(r.firstByteMillis());
        } else {
            json.append("null");
        }
        json.append(",\"end_reason\":\"").append(r.endReason().recordName());
        json.append("\",\"key\":");
        string(json, r.keyName());
        json.append(",\"client_ip\":");
        string(json, end.clientAddress().isEmpty() ? null : end.clientAddress());
        return json.append('}').toString();
    }

    /** A JSON string (or null): quotes, backslashes and control characters escaped. */
    private static void string(StringBuilder json, String value) {
        if (value == null) {
            json.append("null");
            return;
        }
        json.append('"');
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }
}
