package dev.junction.metrics;

import dev.junction.core.TokenUsage;
import dev.junction.usage.RequestEnd;
import dev.junction.usage.RequestObserver;
import dev.junction.usage.UsageRecord;
import java.io.StringWriter;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The access log: one JSON line per request on the {@value #LOGGER} logger, at INFO. The line holds
 * what an operator needs to follow a request (id, time, client API, method, path, status, models,
 * channel, attempts, tokens, latency, time to first byte, end reason, key name, client address) and
 * nothing that could leak: no prompt or answer text, no secrets (the key by its name only), no query
 * string (Gemini clients put {@code ?key=} there).
 *
 * <p>The line is built on the request thread (a few hundred bytes, about a microsecond); where it
 * goes, and on which thread, is logback's business: the shipped {@code logback.xml} hands it to an
 * asynchronous appender writing to standard output, which drops lines rather than block a request
 * when its queue is full. Setting the logger's level to OFF turns the log off.
 */
public final class AccessLog implements RequestObserver {

    /** The logger the lines go to. */
    public static final String LOGGER = "junction.access";

    private static final JsonFactory JSON = JsonFactory.builder().build();

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
    static String line(RequestEnd end) {
        Objects.requireNonNull(end, "end");
        UsageRecord r = end.record();
        StringWriter out = new StringWriter(384);
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("time", r.at().toString());
            g.writeStringProperty("request_id", r.requestId());
            g.writeStringProperty("api", ClientApi.of(end.path()).label());
            g.writeStringProperty("method", end.method());
            g.writeStringProperty("path", end.path());
            g.writeNumberProperty("status", r.status());
            g.writeStringProperty("model", r.publicModel());
            g.writeBooleanProperty("stream", r.stream());
            g.writeStringProperty("channel", r.channel());
            g.writeStringProperty("upstream_model", r.upstreamModel());
            g.writeNumberProperty("attempts", r.attempts().size());
            TokenUsage t = r.tokens();
            g.writeName("tokens");
            g.writeStartObject();
            g.writeNumberProperty("input", t.input());
            g.writeNumberProperty("output", t.output());
            g.writeNumberProperty("cached_read", t.cacheRead());
            g.writeNumberProperty("cache_write", t.cacheWrite());
            g.writeNumberProperty("reasoning", t.reasoning());
            g.writeEndObject();
            g.writeNumberProperty("latency_ms", TimeUnit.NANOSECONDS.toMillis(end.elapsedNanos()));
            if (r.firstByteMillis() >= 0) {
                g.writeNumberProperty("ttft_ms", r.firstByteMillis());
            } else {
                g.writeNullProperty("ttft_ms");
            }
            g.writeStringProperty("end_reason", r.endReason().recordName());
            g.writeStringProperty("key", r.keyName());
            g.writeStringProperty("client_ip", end.clientAddress().isEmpty() ? null : end.clientAddress());
            g.writeEndObject();
        }
        return out.toString();
    }
}
