package dev.junction.admin;

import dev.junction.governance.Action;
import dev.junction.governance.Target;
import dev.junction.store.ConfigVersions;
import dev.junction.usage.Baselines;
import dev.junction.usage.Baselines.Baseline;
import dev.junction.usage.Baselines.Change;
import dev.junction.usage.Baselines.Comparison;
import dev.junction.usage.Baselines.Estimate;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /api/baselines}: a routing-config version's baselines per public model and per model
 * and channel, beside an earlier version's, each metric's change with its confidence interval and a
 * verdict (changed, within noise, too few requests). {@code GET /api/baselines/projection}: a
 * month's spend per model, team or key at the current version's rate. Owners, admins and viewers
 * (the whole gateway's usage).
 */
final class BaselineApi {

    private static final Target USAGE = new Target.Whole(Target.Area.USAGE);

    private final Baselines baselines;

    BaselineApi(Baselines baselines) {
        this.baselines = baselines;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/api/baselines", this::compare),
                Route.of("GET", "/api/baselines/projection", this::projection));
    }

    private Reply compare(Call call) {
        call.require(Action.READ, USAGE);
        long version = version(call, "version");
        long against = version(call, "against");
        if (version > 0 && against > 0 && against >= version) {
            throw ApiException.invalid("against", "must be an earlier version than version");
        }
        Baselines.Report report = baselines.compare(version, against);
        ObjectNode node = Json.object();
        node.put("version", report.version());
        if (report.against() > 0) {
            node.put("against", report.against());
        } else {
            node.putNull("against");
        }
        ObjectNode policy = node.putObject("policy");
        policy.put("min_sample", report.policy().minSample());
        policy.put("z", report.policy().z());
        policy.put("min_effect", report.policy().minEffect());
        policy.put("min_points", report.policy().minPoints());
        policy.put("min_millis", report.policy().minMillis());
        ArrayNode since = node.putArray("changes_since");
        for (ConfigVersions.Version v : report.since()) {
            ObjectNode item = since.addObject();
            item.put("version", v.number());
            item.put("at", Json.time(v.atMillis()));
            item.put("actor", v.actor());
            item.put("summary", v.summary());
        }
        ArrayNode flagged = node.putArray("flagged");
        for (Comparison c : report.flagged()) {
            for (Change change : c.flagged()) {
                ObjectNode item = flagged.addObject();
                item.put("model", c.model());
                if (c.channel() != null) {
                    item.put("channel", c.channel());
                }
                item.put("metric", change.metric().wire());
                item.put("text", change.text());
            }
        }
        ArrayNode models = node.putArray("models");
        report.models().forEach(c -> comparison(models.addObject(), c));
        ArrayNode channels = node.putArray("channels");
        report.channels().forEach(c -> comparison(channels.addObject(), c));
        return Reply.ok(node);
    }

    private Reply projection(Call call) {
        call.require(Action.READ, USAGE);
        Baselines.By by = call.query("by").map(b -> Baselines.By.parse(b).orElseThrow(() ->
                ApiException.invalid("by", "must be model, team or key"))).orElse(Baselines.By.MODEL);
        Baselines.Projections projections = baselines.projection(version(call, "version"), by);
        ObjectNode node = Json.object();
        node.put("version", projections.version());
        node.put("since", Json.time(projections.sinceMillis()));
        node.put("window_seconds", projections.windowMillis() / 1000);
        node.put("by", by.wire());
        ArrayNode data = node.putArray("data");
        for (Baselines.Projection p : projections.data()) {
            ObjectNode item = data.addObject();
            item.put("id", p.id());
            item.put("name", p.name());
            item.put("requests", p.requests());
            item.put("spent_usd", usd(p.spentMicros() / 1e6));
            if (Double.isNaN(p.monthlyUsd())) {
                item.putNull("monthly_usd");
            } else {
                item.put("monthly_usd", usd(p.monthlyUsd()));
            }
            item.put("reliable", p.reliable());
        }
        return Reply.ok(node);
    }

    private static void comparison(ObjectNode node, Comparison c) {
        node.put("model", c.model());
        if (c.channel() != null) {
            node.put("channel", c.channel());
        }
        baseline(node.putObject("current"), c.current());
        if (c.previous() == null) {
            node.putNull("previous");
        } else {
            baseline(node.putObject("previous"), c.previous());
        }
        ArrayNode changes = node.putArray("changes");
        for (Change change : c.changes()) {
            ObjectNode item = changes.addObject();
            item.put("metric", change.metric().wire());
            if (change.channel() != null) {
                item.put("channel", change.channel());
            }
            number(item, "before", change.before().value());
            number(item, "after", change.after().value());
            number(item, "delta", change.delta());
            number(item, "margin", change.margin());
            number(item, "relative", change.relative());
            number(item, "relative_margin", change.relativeMargin());
            item.put("verdict", change.verdict().wire());
            item.put("text", change.text());
        }
    }

    private static void baseline(ObjectNode node, Baseline b) {
        node.put("version", b.version());
        node.put("requests", b.requests());
        estimate(node, "cost_per_request_usd", b.costPerRequestUsd());
        estimate(node, "tokens_per_request", b.tokensPerRequest());
        estimate(node, "latency_ms", b.latencyMs());
        ObjectNode latency = (ObjectNode) node.get("latency_ms");
        latency.put("p50", b.latencyP50());
        latency.put("p95", b.latencyP95());
        estimate(node, "ttft_ms", b.ttftMs());
        ObjectNode ttft = (ObjectNode) node.get("ttft_ms");
        ttft.put("p50", b.ttftP50());
        ttft.put("p95", b.ttftP95());
        estimate(node, "error_rate", b.errorRate());
        estimate(node, "failover_rate", b.failoverRate());
        ObjectNode mix = node.putObject("channel_mix");
        b.channelMix().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> mix.put(e.getKey(), b.requests() == 0 ? 0 : round((double) e.getValue() / b.requests())));
    }

    private static void estimate(ObjectNode node, String field, Estimate e) {
        ObjectNode item = node.putObject(field);
        number(item, "mean", e.value());
        number(item, "margin", e.margin());
        item.put("samples", e.samples());
    }

    private static void number(ObjectNode node, String field, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            node.putNull(field);
        } else {
            node.put(field, round(value));
        }
    }

    private static double round(double value) {
        return new BigDecimal(value).round(new java.math.MathContext(6, RoundingMode.HALF_EVEN)).doubleValue();
    }

    private static String usd(double value) {
        return new BigDecimal(value).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    private static long version(Call call, String field) {
        return call.query(field).map(text -> {
            try {
                long v = Long.parseLong(text);
                if (v < 1) {
                    throw ApiException.invalid(field, "must be a version number (1 or more)");
                }
                return v;
            } catch (NumberFormatException e) {
                throw ApiException.invalid(field, "must be a version number (1 or more)");
            }
        }).orElse(0L);
    }
}
