package dev.junction.usage;

import dev.junction.core.Clock;
import dev.junction.store.ConfigVersions;
import dev.junction.store.Database;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Baselines per routing-config version (issue 19): for each public model, and each model on each
 * channel, the cost and tokens per request, mean and p50/p95 latency and time to first token, error
 * and failover rate and the channel mix of the requests routed under one version, read from the
 * per-version aggregate {@code usage_version} (a few rows per version, never a scan of raw rows).
 * Every version number is a fresh baseline: a change of keys, channels, weights or prices starts
 * one, without anyone resetting anything.
 *
 * <p>{@link #compare} sets a version beside an earlier one: each metric's change with its 95 %
 * confidence interval (Welch for means, unpooled normal for rates), called a change only when both
 * sides have the policy's minimum sample, the interval excludes zero and the change is large enough
 * to matter (5 % of the mean, 2 points of a rate, 50 ms of a latency by default). {@link #projection} projects a
 * month's spend per model, team or key from the current version's rate. This is the Java API
 * alert rules build on.
 */
public final class Baselines {

    private static final long MONTH_MILLIS = 30L * 86_400_000L;

    /**
     * When a difference is a change.
     *
     * @param minSample requests each side needs before anything is called
     * @param z the normal quantile of the interval (1.96: 95 %)
     * @param minEffect the smallest relative change of a mean that is called (0.05: 5 %)
     * @param minPoints the smallest change of a rate that is called (0.02: 2 percentage points)
     * @param minMillis the smallest change of a mean latency or time to first token that is called
     *     (50 ms: the resolution of the latency histograms; a few milliseconds of a fast upstream
     *     warming up are no routing change)
     */
    public record Policy(long minSample, double z, double minEffect, double minPoints, long minMillis) {

        public static final Policy DEFAULT = new Policy(30, 1.96, 0.05, 0.02, 50);

        public Policy {
            if (minSample < 2 || z <= 0 || minEffect < 0 || minPoints < 0 || minMillis < 0) {
                throw new IllegalArgumentException("invalid baseline policy");
            }
        }
    }

    /**
     * A mean or a rate with the half-width of its confidence interval.
     *
     * @param value the estimate; NaN when there is no sample
     * @param margin the interval's half-width; NaN with fewer than two samples
     * @param samples how many values it is made of
     */
    public record Estimate(double value, double margin, long samples) {

        static final Estimate NONE = new Estimate(Double.NaN, Double.NaN, 0);

        static Estimate mean(double sum, double squares, long n, double z) {
            if (n <= 0) {
                return NONE;
            }
            double mean = sum / n;
            if (n < 2) {
                return new Estimate(mean, Double.NaN, n);
            }
            double variance = Math.max(0, (squares - n * mean * mean) / (n - 1));
            return new Estimate(mean, z * Math.sqrt(variance / n), n);
        }

        static Estimate rate(long hits, long n, double z) {
            if (n <= 0) {
                return NONE;
            }
            double p = (double) hits / n;
            return new Estimate(p, n < 2 ? Double.NaN : z * Math.sqrt(p * (1 - p) / n), n);
        }

        Estimate scaled(double factor) {
            return new Estimate(value * factor, margin * factor, samples);
        }

        public boolean known() {
            return !Double.isNaN(value);
        }
    }

    /**
     * One version's baseline of one scope: a public model over all its channels, or on one channel.
     *
     * @param channel the channel's name for a per-channel baseline, null for the model's
     * @param channelMix requests per channel name (the model's whole mix; one entry per channel)
     */
    public record Baseline(long version, String model, String channel, long requests, Estimate costPerRequestUsd,
            Estimate tokensPerRequest, Estimate latencyMs, Long latencyP50, Long latencyP95, Estimate ttftMs,
            Long ttftP50, Long ttftP95, Estimate errorRate, Estimate failoverRate, Map<String, Long> channelMix) {

        public Baseline {
            Objects.requireNonNull(model, "model");
            channelMix = Map.copyOf(channelMix);
        }

        /** The share of requests {@code channel} served (NaN without requests). */
        public Estimate share(String channel, double z) {
            return Estimate.rate(channelMix.getOrDefault(channel, 0L), requests, z);
        }
    }

    /** The metrics a comparison calls; a rate's change is in percentage points, a mean's in per cent. */
    public enum Metric {
        COST_PER_REQUEST("cost_per_request", "cost per request", false),
        TOKENS_PER_REQUEST("tokens_per_request", "tokens per request", false),
        LATENCY_MS("latency_ms", "mean latency", false),
        TTFT_MS("ttft_ms", "mean time to first token", false),
        ERROR_RATE("error_rate", "error rate", true),
        FAILOVER_RATE("failover_rate", "failover rate", true),
        CHANNEL_SHARE("channel_share", "share of channel", true);

        private final String wire;
        private final String label;
        private final boolean rate;

        Metric(String wire, String label, boolean rate) {
            this.wire = wire;
            this.label = label;
            this.rate = rate;
        }

        public String wire() {
            return wire;
        }

        public String label() {
            return label;
        }

        public boolean rate() {
            return rate;
        }

        Estimate of(Baseline b) {
            return switch (this) {
                case COST_PER_REQUEST -> b.costPerRequestUsd();
                case TOKENS_PER_REQUEST -> b.tokensPerRequest();
                case LATENCY_MS -> b.latencyMs();
                case TTFT_MS -> b.ttftMs();
                case ERROR_RATE -> b.errorRate();
                case FAILOVER_RATE -> b.failoverRate();
                case CHANNEL_SHARE -> throw new IllegalStateException("a share needs its channel");
            };
        }
    }

    /** What a comparison calls a difference. */
    public enum Verdict {
        /** Both sides have the minimum sample, the interval excludes zero and the change matters. */
        CHANGED,
        /** Both sides have the minimum sample and the difference is noise (or too small to matter). */
        WITHIN_NOISE,
        /** A side has fewer requests than the minimum sample: nothing is called yet. */
        TOO_FEW;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One metric, before and after.
     *
     * @param channel the channel of a {@link Metric#CHANNEL_SHARE}, else null
     * @param delta after − before (a rate in fractions, a mean in its unit)
     * @param margin the half-width of delta's interval (NaN when unknown)
     * @param relative delta / before, NaN when before is 0 or unknown
     * @param relativeMargin margin / before, NaN likewise
     * @param text one line for people, e.g. {@code cost per request +18.0 % ± 4.0 % since version 12}
     */
    public record Change(Metric metric, String channel, Estimate before, Estimate after, double delta, double margin,
            double relative, double relativeMargin, Verdict verdict, String text) {

        public Change {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(text, "text");
        }
    }

    /** A scope's baseline under the version and under the one it is compared with (empty: no traffic then). */
    public record Comparison(String model, String channel, Baseline current, Baseline previous, List<Change> changes) {

        public Comparison {
            changes = List.copyOf(changes);
        }

        /** The metrics called changed. */
        public List<Change> flagged() {
            return changes.stream().filter(c -> c.verdict() == Verdict.CHANGED).toList();
        }

        public Optional<Change> change(Metric metric) {
            return changes.stream().filter(c -> c.metric() == metric).findFirst();
        }
    }

    /**
     * A version beside an earlier one.
     *
     * @param against the version compared with, 0 when there is none with traffic
     * @param since the versions after {@code against} up to {@code version}: what changed
     * @param models one comparison per public model
     * @param channels one comparison per public model on each channel
     */
    public record Report(long version, long against, List<ConfigVersions.Version> since, Policy policy,
            List<Comparison> models, List<Comparison> channels) {

        public Report {
            since = List.copyOf(since);
            models = List.copyOf(models);
            channels = List.copyOf(channels);
        }

        /** Every comparison with a metric called changed: models first, then channels. */
        public List<Comparison> flagged() {
            List<Comparison> all = new ArrayList<>();
            models.stream().filter(c -> !c.flagged().isEmpty()).forEach(all::add);
            channels.stream().filter(c -> !c.flagged().isEmpty()).forEach(all::add);
            return all;
        }
    }

    /** What a projection groups by. */
    public enum By {
        MODEL("public_model"), TEAM("team_id"), KEY("key_id");

        private final String column;

        By(String column) {
            this.column = column;
        }

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<By> parse(String wire) {
            for (By by : values()) {
                if (by.wire().equals(wire)) {
                    return Optional.of(by);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * A month's spend at the current version's rate.
     *
     * @param id the model name, or the team's or key's id ("0": none)
     * @param name the model, team or key name ({@code (none)} for requests without one)
     * @param spentMicros what was spent under the version so far
     * @param windowMillis how long the version has run
     * @param monthlyUsd spent ÷ window × 30 days; NaN when the version has not run for a minute yet
     * @param reliable whether the rate rests on at least the policy's minimum sample
     */
    public record Projection(String id, String name, long requests, long spentMicros, long windowMillis,
            double monthlyUsd, boolean reliable) {
    }

    /** The projections of one version. */
    public record Projections(long version, long sinceMillis, long windowMillis, By by, List<Projection> data) {

        public Projections {
            data = List.copyOf(data);
        }
    }

    private final Database database;
    private final ConfigVersions versions;
    private final Clock clock;
    private final Policy policy;

    public Baselines(Database database, ConfigVersions versions, Clock clock, Policy policy) {
        this.database = Objects.requireNonNull(database, "database");
        this.versions = Objects.requireNonNull(versions, "versions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public Policy policy() {
        return policy;
    }

    /** The latest version (0 when there is none): the one new requests route under. */
    public long currentVersion() {
        return versions.current();
    }

    /** The latest version below {@code version} that routed traffic, 0 when none did. */
    public long previousWithTraffic(long version) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(MAX(config_version), 0) FROM "
                + VersionRollup.TABLE + " WHERE config_version > 0 AND config_version < :v AND public_model <> ''")
                .bind("v", version).mapTo(Long.class).one());
    }

    /** Every baseline of {@code version}: per public model (channel null) and per model and channel. */
    public List<Baseline> baselines(long version) {
        Map<String, Agg> models = new TreeMap<>();
        Map<List<String>, Agg> channels = new TreeMap<>(Baselines::compareLists);
        Map<Long, String> names = names("SELECT id, name FROM channels");
        for (Row row : rows(version)) {
            String channel = row.channelId() == 0 ? "(none)" : names.getOrDefault(row.channelId(),
                    "#" + row.channelId());
            models.computeIfAbsent(row.model(), m -> new Agg()).add(row, channel);
            channels.computeIfAbsent(List.of(row.model(), channel), m -> new Agg()).add(row, channel);
        }
        List<Baseline> list = new ArrayList<>();
        models.forEach((model, agg) -> list.add(agg.baseline(version, model, null, policy.z())));
        channels.forEach((key, agg) -> list.add(agg.baseline(version, key.get(0), key.get(1), policy.z())));
        return list;
    }

    /**
     * {@code version} (0: the current one) beside {@code against} (0: the latest earlier version that
     * routed traffic).
     */
    public Report compare(long version, long against) {
        long v = version > 0 ? version : currentVersion();
        long a = against > 0 ? against : previousWithTraffic(v);
        List<ConfigVersions.Version> since = a > 0 && a < v ? versions.range(a, v) : List.of();
        String why = since.stream().map(ConfigVersions.Version::summary).distinct()
                .collect(Collectors.joining("; "));
        if (why.length() > 160) {
            why = why.substring(0, 157) + "…";
        }
        Map<List<String>, Baseline> now = index(baselines(v));
        Map<List<String>, Baseline> then = a > 0 ? index(baselines(a)) : Map.of();
        TreeSet<List<String>> scopes = new TreeSet<>(Baselines::compareLists);
        scopes.addAll(now.keySet());
        scopes.addAll(then.keySet());
        List<Comparison> models = new ArrayList<>();
        List<Comparison> channels = new ArrayList<>();
        for (List<String> scope : scopes) {
            String model = scope.get(0);
            String channel = scope.get(1).isEmpty() ? null : scope.get(1);
            Baseline current = now.getOrDefault(scope, empty(v, model, channel));
            Baseline previous = then.get(scope);
            Comparison comparison = new Comparison(model, channel, current, previous,
                    changes(current, previous == null ? empty(a, model, channel) : previous, a, why));
            (channel == null ? models : channels).add(comparison);
        }
        return new Report(v, a, since, policy, models, channels);
    }

    /** The month's spend per {@code by} at the rate of {@code version} (0: the current one) so far. */
    public Projections projection(long version, By by) {
        long v = version > 0 ? version : currentVersion();
        long now = clock.now().toEpochMilli();
        Optional<ConfigVersions.Version> row = versions.find(v);
        long since = row.map(ConfigVersions.Version::atMillis).orElse(now);
        Optional<ConfigVersions.Version> next = versions.find(v + 1);
        long until = next.map(ConfigVersions.Version::atMillis).orElse(now);
        long window = Math.max(0, until - since);
        Map<Long, String> names = switch (by) {
            case TEAM -> names("SELECT id, name FROM teams");
            case KEY -> names("SELECT id, name FROM gateway_keys");
            case MODEL -> Map.of();
        };
        List<Projection> data = database.jdbi().withHandle(h -> h.createQuery("SELECT " + by.column + " AS id,"
                + " SUM(requests) AS requests, SUM(cost_micros) AS cost FROM " + VersionRollup.TABLE
                + " WHERE config_version = :v AND public_model <> '' AND NOT (channel_id = 0 AND status_class = 4)"
                + " GROUP BY " + by.column + " ORDER BY SUM(cost_micros) DESC, " + by.column)
                .bind("v", v)
                .map((rs, ctx) -> {
                    String id = rs.getString("id");
                    long requests = rs.getLong("requests");
                    long cost = rs.getLong("cost");
                    String name = by == By.MODEL ? id : id.equals("0") ? "(none)"
                            : names.getOrDefault(Long.parseLong(id), "#" + id);
                    double monthly = window < 60_000 ? Double.NaN : cost / 1e6 * MONTH_MILLIS / window;
                    return new Projection(id, name, requests, cost, window, monthly, requests >= policy.minSample());
                }).list());
        return new Projections(v, since, window, by, data);
    }

    // --- internals -----------------------------------------------------------------------------

    private List<Change> changes(Baseline current, Baseline previous, long against, String why) {
        List<Change> changes = new ArrayList<>();
        for (Metric metric : Metric.values()) {
            if (metric == Metric.CHANNEL_SHARE) {
                continue;
            }
            changes.add(change(metric, null, metric.of(previous), metric.of(current), current.requests(),
                    previous.requests(), against, why));
        }
        if (current.channel() == null) {
            TreeSet<String> mix = new TreeSet<>(current.channelMix().keySet());
            mix.addAll(previous.channelMix().keySet());
            for (String channel : mix) {
                changes.add(change(Metric.CHANNEL_SHARE, channel, previous.share(channel, policy.z()),
                        current.share(channel, policy.z()), current.requests(), previous.requests(), against, why));
            }
        }
        return changes;
    }

    private Change change(Metric metric, String channel, Estimate before, Estimate after, long nowRequests,
            long thenRequests, long against, String why) {
        String label = metric.label() + (channel == null ? "" : " '" + channel + "'");
        String since = against > 0 ? " since version " + against : " (no earlier version with traffic)";
        double delta = after.value() - before.value();
        double margin = Math.hypot(nz(after.margin()), nz(before.margin()));
        boolean baseKnown = before.known() && before.value() != 0;
        double relative = baseKnown ? delta / before.value() : Double.NaN;
        double relativeMargin = baseKnown ? margin / Math.abs(before.value()) : Double.NaN;
        Verdict verdict;
        if (nowRequests < policy.minSample() || thenRequests < policy.minSample() || !before.known()
                || !after.known() || before.samples() < 2 || after.samples() < 2) {
            verdict = Verdict.TOO_FEW;
        } else {
            boolean outside = Math.abs(delta) > margin;
            boolean matters = metric.rate() ? Math.abs(delta) >= policy.minPoints()
                    : baseKnown ? Math.abs(relative) >= policy.minEffect() : delta != 0;
            if (metric == Metric.LATENCY_MS || metric == Metric.TTFT_MS) {
                matters &= Math.abs(delta) >= policy.minMillis();
            }
            verdict = outside && matters ? Verdict.CHANGED : Verdict.WITHIN_NOISE;
        }
        String text;
        if (verdict == Verdict.TOO_FEW) {
            text = label + ": too few requests to call (" + Math.min(nowRequests, thenRequests) + " of "
                    + policy.minSample() + ")" + since;
        } else if (metric.rate()) {
            text = String.format(Locale.ROOT, "%s %+.1f pp ± %.1f pp%s", label, delta * 100, margin * 100, since);
        } else if (baseKnown) {
            text = String.format(Locale.ROOT, "%s %+.1f %% ± %.1f %%%s", label, relative * 100, relativeMargin * 100,
                    since);
        } else {
            text = String.format(Locale.ROOT, "%s %s → %s%s", label, number(before.value()), number(after.value()),
                    since);
        }
        if (verdict == Verdict.CHANGED && !why.isEmpty()) {
            text += " — " + why;
        }
        return new Change(metric, channel, before, after, delta, margin, relative, relativeMargin, verdict, text);
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "none" : String.format(Locale.ROOT, "%.4g", value);
    }

    private static double nz(double value) {
        return Double.isNaN(value) ? 0 : value;
    }

    private Baseline empty(long version, String model, String channel) {
        return new Agg().baseline(version, model, channel, policy.z());
    }

    private static Map<List<String>, Baseline> index(List<Baseline> baselines) {
        Map<List<String>, Baseline> map = new LinkedHashMap<>();
        baselines.forEach(b -> map.put(List.of(b.model(), b.channel() == null ? "" : b.channel()), b));
        return map;
    }

    private static int compareLists(List<String> a, List<String> b) {
        int c = a.get(0).compareTo(b.get(0));
        return c != 0 ? c : a.get(1).compareTo(b.get(1));
    }

    private Map<Long, String> names(String sql) {
        return database.jdbi().withHandle(h -> {
            Map<Long, String> names = new HashMap<>();
            h.createQuery(sql).map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
                    .forEach(e -> names.put(e.getKey(), e.getValue()));
            return names;
        });
    }

    /** One grouped row of usage_version: a model on a channel with one status class. */
    private record Row(String model, long channelId, int statusClass, RunningTotal total) {
    }

    /**
     * The version's rows a baseline counts: requests of a public model that were routed, so not
     * those the gateway refused itself before any channel (4xx without a channel: a key over its
     * budget or not allowed the model tells nothing about routing).
     */
    private List<Row> rows(long version) {
        String sql = "SELECT public_model, channel_id, status_class, " + RunningTotal.sums() + " FROM "
                + VersionRollup.TABLE + " WHERE config_version = :v AND public_model <> ''"
                + " AND NOT (channel_id = 0 AND status_class = 4) GROUP BY public_model, channel_id, status_class";
        return database.jdbi().withHandle(h -> h.createQuery(sql).bind("v", version).map((rs, ctx) ->
                new Row(rs.getString("public_model"), rs.getLong("channel_id"), rs.getInt("status_class"),
                        RunningTotal.read(rs))).list());
    }

    /** Sums of rows on the way to a baseline. */
    private static final class Agg {
        final RunningTotal total = new RunningTotal();
        long errors;
        final Map<String, Long> mix = new TreeMap<>();

        void add(Row r, String channel) {
            total.add(r.total());
            errors += r.statusClass() == 5 ? r.total().requests : 0;
            mix.merge(channel, r.total().requests, Long::sum);
        }

        Baseline baseline(long version, String model, String channel, double z) {
            RunningTotal t = total;
            return new Baseline(version, model, channel, t.requests,
                    Estimate.mean(t.cost, t.costSq, t.requests - t.costUnknown, z).scaled(1e-6),
                    Estimate.mean(t.tokens(), t.tokensSq, t.requests, z),
                    Estimate.mean(t.latencySum, t.latencySq, t.requests, z),
                    Histogram.percentile(t.latency, 50), Histogram.percentile(t.latency, 95),
                    Estimate.mean(t.ttftSum, t.ttftSq, t.ttftCount, z), Histogram.percentile(t.ttft, 50),
                    Histogram.percentile(t.ttft, 95), Estimate.rate(errors, t.requests, z),
                    Estimate.rate(t.failovers, t.requests, z), mix);
        }
    }
}
