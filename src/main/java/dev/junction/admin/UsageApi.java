package dev.junction.admin;

import dev.junction.core.Clock;
import dev.junction.governance.Action;
import dev.junction.governance.Principal;
import dev.junction.governance.Target;
import dev.junction.http.Downstream;
import dev.junction.usage.Histogram;
import dev.junction.usage.UsageStats;
import dev.junction.usage.UsageStats.Bucket;
import dev.junction.usage.UsageStats.Cursor;
import dev.junction.usage.UsageStats.Dimension;
import dev.junction.usage.UsageStats.Filter;
import dev.junction.usage.UsageStats.Metric;
import dev.junction.usage.UsageStats.RawFilter;
import dev.junction.usage.UsageStats.Row;
import dev.junction.usage.UsageStats.Totals;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stats API under {@code /api/usage} (docs/openapi.yaml): totals, breakdowns (top-N) and time
 * series read from the rollups; raw rows with filters and keyset paging; one request with every
 * attempt; a CSV export streamed row by row. Owners, admins and viewers see all usage; a member
 * sees only their own (rows of keys that belong to them), whatever filter they send.
 */
final class UsageApi {

    private static final int MAX_ROWS = 500;
    private static final int MAX_TOP = 100;
    private static final int FLUSH_BYTES = 64 * 1024;
    private static final double[] PERCENTILES = {50, 90, 95, 99};

    private final UsageStats stats;
    private final Clock clock;

    UsageApi(UsageStats stats, Clock clock) {
        this.stats = stats;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/api/usage/summary", this::summary),
                Route.of("GET", "/api/usage/series", this::series),
                Route.of("GET", "/api/usage/top", this::top),
                Route.of("GET", "/api/usage/endpoints", this::endpoints),
                Route.of("GET", "/api/usage/requests", this::requests),
                Route.of("GET", "/api/usage/requests/{request_id}", this::request),
                Route.of("GET", "/api/usage/export", this::export));
    }

    /** The range asked for: {@code from}/{@code to} as ISO-8601 or epoch millis; the last 24 h by default. */
    private record Range(long from, long to) {
    }

    private Range range(Call call) {
        long now = clock.now().toEpochMilli();
        long to = call.query("to").map(t -> time("to", t)).orElse(now);
        long from = call.query("from").map(t -> time("from", t)).orElse(to - 86_400_000L);
        if (from >= to) {
            throw ApiException.invalid("from", "must be before to");
        }
        return new Range(from, to);
    }

    private static long time(String field, String text) {
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(text);
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(field, "must be an ISO-8601 time (2026-12-03T00:00:00Z) or epoch milliseconds");
        }
    }

    /** Whose usage the caller may see: null for all, else their own user id. */
    private static Long scope(Call call) {
        Principal who = call.principal();
        if (who.can(Action.READ, new Target.Whole(Target.Area.USAGE))) {
            return null;
        }
        call.require(Action.READ, new Target.Owned(Target.Kind.USAGE, who.userId(), who.role()));
        return who.userId();
    }

    private Filter filter(Call call) {
        Long own = scope(call);
        Long user = optionalId(call, "user_id");
        if (own != null && user != null && !user.equals(own)) {
            throw ApiException.forbidden("forbidden", "A member sees only their own usage.");
        }
        Integer statusClass = call.query("status_class").map(s -> switch (s) {
            case "2", "2xx" -> 2;
            case "4", "4xx" -> 4;
            case "5", "5xx" -> 5;
            default -> throw ApiException.invalid("status_class", "must be 2xx, 4xx or 5xx");
        }).orElse(null);
        return new Filter(optionalId(call, "key_id"), own != null ? own : user, optionalId(call, "team_id"),
                call.query("model").orElse(null), optionalId(call, "channel_id"),
                call.query("upstream_model").orElse(null), statusClass);
    }

    private static Bucket bucket(Call call, Range range) {
        return call.query("bucket").map(b -> Bucket.parse(b).orElseThrow(() ->
                ApiException.invalid("bucket", "must be minute, hour or day")))
                .orElseGet(() -> Bucket.forRange(range.to() - range.from()));
    }

    private static Optional<Dimension> by(Call call) {
        return call.query("by").map(b -> Dimension.parse(b).orElseThrow(() ->
                ApiException.invalid("by", "must be one of " + Dimension.wires())));
    }

    private Reply summary(Call call) {
        Range range = range(call);
        Bucket bucket = bucket(call, range);
        Filter filter = filter(call);
        ObjectNode node = frame(range, bucket);
        node.set("totals", totals(stats.totals(bucket, range.from(), range.to(), filter)));
        return Reply.ok(node);
    }

    private Reply top(Call call) {
        Range range = range(call);
        Bucket bucket = bucket(call, range);
        Filter filter = filter(call);
        Dimension by = by(call).orElseThrow(() -> ApiException.invalid("by", "is required: one of " + Dimension.wires()));
        Metric metric = call.query("order").map(m -> Metric.parse(m).orElseThrow(() ->
                ApiException.invalid("order", "must be requests, cost, tokens or errors"))).orElse(Metric.REQUESTS);
        int limit = (int) number(call, "limit", 10, 1, MAX_TOP);
        Map<String, String> names = stats.names(by);
        ObjectNode node = frame(range, bucket);
        node.put("by", by.wire());
        node.put("order", metric.wire());
        ArrayNode data = node.putArray("data");
        for (UsageStats.Group group : stats.top(bucket, range.from(), range.to(), filter, by, metric, limit)) {
            ObjectNode item = data.addObject();
            group(item, by, group.key(), names);
            item.set("totals", totals(group.totals()));
        }
        return Reply.ok(node);
    }

    /** Usage per endpoint and unit (images, characters, seconds, searches, tokens), the most requested first. */
    private Reply endpoints(Call call) {
        Range range = range(call);
        Bucket bucket = bucket(call, range);
        Filter filter = filter(call);
        ObjectNode node = frame(range, bucket);
        ArrayNode data = node.putArray("data");
        for (UsageStats.EndpointTotals e : stats.byEndpoint(bucket, range.from(), range.to(), filter)) {
            ObjectNode item = data.addObject();
            item.put("endpoint", e.endpoint().isEmpty() ? null : e.endpoint());
            item.put("unit", e.unit());
            item.put("requests", e.requests());
            item.put("ok", e.ok());
            item.put("units", e.units());
            item.put("estimated_requests", e.unitsEstimated());
            ObjectNode tokens = item.putObject("tokens");
            tokens.put("input", e.promptTokens());
            tokens.put("output", e.completionTokens());
            ObjectNode cost = item.putObject("cost");
            cost.put("micros", e.costMicros());
            cost.put("usd", usd(e.costMicros()));
            cost.put("unknown_requests", e.costUnknown());
        }
        return Reply.ok(node);
    }

    private Reply series(Call call) {
        Range range = range(call);
        Bucket bucket = bucket(call, range);
        long points = (range.to() - range.from()) / bucket.millis();
        if (points > 10_000) {
            throw ApiException.invalid("bucket", "gives " + points + " points for this range; use a wider bucket");
        }
        Filter filter = filter(call);
        Optional<Dimension> by = by(call);
        int groups = (int) number(call, "groups", 10, 1, 50);
        Map<String, String> names = by.map(stats::names).orElse(Map.of());
        ObjectNode node = frame(range, bucket);
        if (by.isPresent()) {
            node.put("by", by.get().wire());
        } else {
            node.putNull("by");
        }
        ArrayNode data = node.putArray("data");
        for (UsageStats.Point point : stats.series(bucket, range.from(), range.to(), filter, by.orElse(null), groups)) {
            ObjectNode item = data.addObject();
            item.put("t", Json.time(point.bucket()));
            if (by.isPresent()) {
                group(item, by.get(), point.group(), names);
            }
            item.set("totals", totals(point.totals()));
        }
        return Reply.ok(node);
    }

    private RawFilter rawFilter(Call call) {
        Range range = range(call);
        Filter f = filter(call);
        Integer status = call.query("status").map(s -> (int) number(call, "status", 0, 100, 599)).orElse(null);
        return new RawFilter(range.from(), range.to(), f.keyId(), f.userId(), f.model(), f.channelId(), status,
                call.query("end_reason").orElse(null), call.query("endpoint").orElse(null));
    }

    private Reply requests(Call call) {
        RawFilter filter = rawFilter(call);
        int limit = (int) number(call, "limit", 50, 1, MAX_ROWS);
        Cursor cursor = call.query("cursor").map(c -> Cursor.parse(c).orElseThrow(() ->
                ApiException.invalid("cursor", "is not a cursor this API gave"))).orElse(null);
        List<Row> rows = stats.rows(filter, cursor, limit);
        ObjectNode node = Json.object();
        ArrayNode data = node.putArray("data");
        rows.forEach(r -> data.add(row(r, false)));
        if (rows.size() == limit) {
            node.put("next_cursor", new Cursor(rows.getLast().ts(), rows.getLast().id()).wire());
        } else {
            node.putNull("next_cursor");
        }
        return Reply.ok(node);
    }

    private Reply request(Call call) {
        Long own = scope(call);
        String id = call.param("request_id");
        Row row = stats.request(id).filter(r -> own == null || own.equals(r.userId()))
                .orElseThrow(() -> ApiException.notFound("There is no usage row for request '" + id + "'."));
        return Reply.ok(row(row, true));
    }

    private Reply export(Call call) {
        RawFilter filter = rawFilter(call);
        return Reply.streamed("text/csv; charset=utf-8", down -> {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(FLUSH_BYTES + 4096);
            buffer.writeBytes(CsvRows.HEADER.getBytes(StandardCharsets.UTF_8));
            Downstream.ClientGoneException[] gone = new Downstream.ClientGoneException[1];
            try {
                stats.each(filter, row -> {
                    buffer.writeBytes(CsvRows.line(row).getBytes(StandardCharsets.UTF_8));
                    if (buffer.size() >= FLUSH_BYTES) {
                        try {
                            down.send(buffer.toByteArray());
                        } catch (Downstream.ClientGoneException e) {
                            gone[0] = e;
                            throw new StopExport();
                        }
                        buffer.reset();
                    }
                });
            } catch (StopExport stop) {
                throw gone[0];
            }
            if (buffer.size() > 0) {
                down.send(buffer.toByteArray());
            }
        }).withHeader("Content-Disposition", "attachment; filename=\"usage.csv\"");
    }

    /** Ends an export whose client left. */
    private static final class StopExport extends RuntimeException {
        StopExport() {
            super(null, null, false, false);
        }
    }

    private static ObjectNode frame(Range range, Bucket bucket) {
        ObjectNode node = Json.object();
        node.put("from", Json.time(bucket.grainStart(range.from())));
        node.put("to", Json.time(range.to()));
        node.put("bucket", bucket.wire());
        return node;
    }

    private static void group(ObjectNode item, Dimension by, String key, Map<String, String> names) {
        if (key == null || "other".equals(key)) {
            item.put("key", key);
            item.put("name", key);
            return;
        }
        boolean none = key.isEmpty() || (by != Dimension.STATUS_CLASS && key.equals("0") && isNumeric(by));
        item.put("key", none ? null : key);
        String name = by == Dimension.STATUS_CLASS ? key + "xx" : names.getOrDefault(key, key);
        item.put("name", none ? null : name);
    }

    private static boolean isNumeric(Dimension by) {
        return by == Dimension.CHANNEL || by == Dimension.KEY || by == Dimension.USER || by == Dimension.TEAM;
    }

    static ObjectNode totals(Totals t) {
        ObjectNode node = Json.object();
        node.put("requests", t.requests());
        node.put("ok", t.ok());
        node.put("client_errors", t.clientErrors());
        node.put("server_errors", t.serverErrors());
        node.put("failovers", t.failovers());
        node.put("streams", t.streams());
        node.put("estimated", t.estimated());
        rate(node, "success_rate", t.ok(), t.requests());
        rate(node, "failover_rate", t.failovers(), t.requests());
        ObjectNode tokens = node.putObject("tokens");
        tokens.put("input", t.promptTokens());
        tokens.put("output", t.completionTokens());
        tokens.put("cached_read", t.cachedReadTokens());
        tokens.put("cache_write", t.cacheWriteTokens());
        tokens.put("reasoning", t.reasoningTokens());
        ObjectNode cost = node.putObject("cost");
        cost.put("micros", t.costMicros());
        cost.put("usd", usd(t.costMicros()));
        cost.put("unknown_requests", t.costUnknown());
        node.set("latency_ms", timing(t.latencySum(), t.requests(), t.latency()));
        node.set("ttft_ms", timing(t.ttftSum(), t.ttftCount(), t.ttft()));
        return node;
    }

    private static void rate(ObjectNode node, String field, long part, long whole) {
        if (whole == 0) {
            node.putNull(field);
        } else {
            node.put(field, Math.round(part * 10000.0 / whole) / 10000.0);
        }
    }

    private static ObjectNode timing(long sum, long count, long[] histogram) {
        ObjectNode node = Json.object();
        if (count == 0) {
            node.putNull("avg");
        } else {
            node.put("avg", sum / count);
        }
        for (double p : PERCENTILES) {
            Long value = Histogram.percentile(histogram, p);
            String field = "p" + (int) p;
            if (value == null) {
                node.putNull(field);
            } else {
                node.put(field, value);
            }
        }
        return node;
    }

    static String usd(long micros) {
        return BigDecimal.valueOf(micros, 6).toPlainString();
    }

    static ObjectNode row(Row r, boolean detail) {
        ObjectNode node = Json.object();
        node.put("id", r.id());
        node.put("request_id", r.requestId());
        node.put("at", Json.time(r.ts()));
        node.put("key", r.keyName());
        putLong(node, "key_id", r.keyId());
        putLong(node, "user_id", r.userId());
        putLong(node, "team_id", r.teamId());
        node.put("model", r.publicModel());
        node.put("channel", r.channel());
        putLong(node, "channel_id", r.channelId());
        node.put("upstream_model", r.upstreamModel());
        node.put("status", r.status());
        node.put("end_reason", r.endReason());
        node.put("stream", r.stream());
        node.put("client_api", r.clientApi());
        node.put("client_ip", r.clientIp());
        ObjectNode tokens = node.putObject("tokens");
        tokens.put("input", r.promptTokens());
        tokens.put("output", r.completionTokens());
        tokens.put("cached_read", r.cachedReadTokens());
        tokens.put("cache_write", r.cacheWriteTokens());
        tokens.put("reasoning", r.reasoningTokens());
        node.put("token_source", r.tokenSource());
        node.put("endpoint", r.endpoint());
        ObjectNode units = node.putObject("units");
        units.put("count", r.units());
        units.put("unit", r.unit());
        units.put("detail", r.unitDetail());
        units.put("estimated", r.unitsEstimated());
        putLong(node, "cost_micros", r.costMicros());
        node.put("cost_usd", r.costMicros() == null ? null : usd(r.costMicros()));
        node.put("latency_ms", r.latencyMs());
        putLong(node, "ttft_ms", r.firstByteMs());
        if (r.configVersion() == null) {
            node.putNull("config_version");
        } else {
            node.put("config_version", r.configVersion());
        }
        JsonNode attempts = Json.parse(r.attempts());
        node.put("attempt_count", attempts.size());
        if (detail) {
            node.set("attempts", attempts);
        }
        return node;
    }

    private static void putLong(ObjectNode node, String field, Long value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    private static long number(Call call, String name, long fallback, long min, long max) {
        String text = call.query(name).orElse(null);
        if (text == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // Reported below.
        }
        throw ApiException.invalid(name, "must be a whole number from " + min + " to " + max);
    }

    private static Long optionalId(Call call, String name) {
        return call.query(name).map(t -> number(call, name, 0, 0, Long.MAX_VALUE)).orElse(null);
    }
}
