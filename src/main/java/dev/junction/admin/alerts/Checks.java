package dev.junction.admin.alerts;

import dev.junction.governance.Budget;
import dev.junction.governance.Limiter;
import dev.junction.governance.Quota;
import dev.junction.governance.QuotaBook;
import dev.junction.routing.Channel;
import dev.junction.routing.KeyState;
import dev.junction.routing.Router;
import dev.junction.state.Circuit;
import dev.junction.usage.Histogram;
import dev.junction.usage.UsageStats;
import dev.junction.usage.UsageStats.Bucket;
import dev.junction.usage.UsageStats.Dimension;
import dev.junction.usage.UsageStats.Filter;
import dev.junction.usage.UsageStats.Metric;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Measures each rule kind now and returns what is over its threshold, each finding with its
 * {@link Reach} read from the usage rollups over the rule's window.
 */
final class Checks {

    private static final int MANY = 100_000;

    private final UsageStats stats;
    private final Router router;
    private final QuotaBook book;
    private final Limiter limiter;
    private final Baselines baselines;

    Checks(UsageStats stats, Router router, QuotaBook book, Limiter limiter, Baselines baselines) {
        this.stats = stats;
        this.router = router;
        this.book = book;
        this.limiter = limiter;
        this.baselines = baselines;
    }

    List<Finding> run(Rule rule, Instant now) {
        long to = now.toEpochMilli() + 1;
        long from = now.minus(rule.window()).toEpochMilli();
        return switch (rule.kind()) {
            case SPEND -> spend(rule, from, to);
            case BUDGET -> budgets(rule, to);
            case ERROR_RATE, LATENCY, FAILOVER_RATE -> perModel(rule, from, to);
            case CHANNEL_DOWN, KEY_DISABLED -> channels(rule, from, to);
            case BASELINE_SHIFT -> shifts(rule, now, to);
        };
    }

    private static Bucket bucket(long from, long to) {
        return Bucket.forRange(to - from);
    }

    private static Filter modelFilter(Optional<String> model) {
        return new Filter(null, null, null, model.orElse(null), null, null, null);
    }

    /** Who sent the traffic {@code filter} selects over {@code [from, to)}, and what it cost. */
    Reach reach(Filter filter, long from, long to) {
        Bucket bucket = bucket(from, to);
        long spend = Math.max(0, stats.totals(bucket, from, to, filter).costMicros());
        Set<Long> teams = distinct(bucket, from, to, filter, Dimension.TEAM).stream().map(Long::valueOf)
                .collect(Collectors.toSet());
        return new Reach(distinct(bucket, from, to, filter, Dimension.KEY).size(),
                distinct(bucket, from, to, filter, Dimension.USER).size(), teams.size(), spend, teams);
    }

    private List<String> distinct(Bucket bucket, long from, long to, Filter filter, Dimension by) {
        return stats.top(bucket, from, to, filter, by, Metric.REQUESTS, MANY).stream()
                .filter(g -> g.key() != null && !g.key().equals("0") && g.totals().requests() > 0)
                .map(UsageStats.Group::key).toList();
    }

    private List<Finding> spend(Rule rule, long from, long to) {
        Filter filter = modelFilter(rule.model());
        UsageStats.Totals totals = stats.totals(bucket(from, to), from, to, filter);
        double usd = totals.costMicros() / 1e6;
        if (usd < rule.threshold()) {
            return List.of();
        }
        String subject = rule.model().map(m -> "model:" + m).orElse("gateway");
        return List.of(new Finding(rule, subject, rule.model(), usd, rule.threshold(),
                String.format(Locale.ROOT, "spent $%.2f in %s%s (threshold $%.2f)", usd, Windows.words(rule.window()),
                        rule.model().map(m -> " on " + m).orElse(""), rule.threshold()),
                reach(filter, from, to)));
    }

    private List<Finding> budgets(Rule rule, long to) {
        List<Finding> findings = new ArrayList<>();
        for (Quota quota : book.current().all()) {
            Optional<Budget> budget = quota.budget();
            if (budget.isEmpty() || budget.get().micros() <= 0) {
                continue;
            }
            Limiter.Usage used = limiter.usage(quota);
            double fraction = (double) used.spendMicros() / budget.get().micros();
            if (fraction < rule.threshold()) {
                continue;
            }
            String level = quota.level().wire();
            Filter filter = switch (quota.level()) {
                case KEY -> new Filter(quota.id(), null, null, null, null, null, null);
                case USER -> new Filter(null, quota.id(), null, null, null, null, null);
                case TEAM -> new Filter(null, null, quota.id(), null, null, null, null);
            };
            long from = used.period() == null ? to - rule.window().toMillis() : used.period().start().toEpochMilli();
            findings.add(new Finding(rule, level + ":" + quota.id(), Optional.empty(), fraction, rule.threshold(),
                    String.format(Locale.ROOT, "%s %s has used %.0f %% of its $%s %s budget", level, quota.name(),
                            fraction * 100, Budget.dollars(budget.get().micros()), budget.get().period().wire()),
                    quota.level() == dev.junction.governance.Level.TEAM ? reach(filter, from, to).touching(quota.id())
                            : reach(filter, from, to)));
        }
        return findings;
    }

    private List<Finding> perModel(Rule rule, long from, long to) {
        Filter filter = modelFilter(rule.model());
        List<Finding> findings = new ArrayList<>();
        for (UsageStats.Group group : stats.top(bucket(from, to), from, to, filter, Dimension.MODEL, Metric.REQUESTS,
                MANY)) {
            String model = group.key();
            UsageStats.Totals t = group.totals();
            if (model == null || model.isEmpty() || t.requests() <= 0 || t.requests() < rule.minRequests()) {
                continue;
            }
            double value;
            String what;
            switch (rule.kind()) {
                case ERROR_RATE -> {
                    value = (double) t.serverErrors() / t.requests();
                    what = String.format(Locale.ROOT, "%.0f %% of %d requests to %s failed (5xx)", value * 100,
                            t.requests(), model);
                }
                case FAILOVER_RATE -> {
                    value = (double) t.failovers() / t.requests();
                    what = String.format(Locale.ROOT, "%.0f %% of %d requests to %s failed over", value * 100,
                            t.requests(), model);
                }
                default -> {
                    Long p95 = Histogram.percentile(t.latency(), 95);
                    value = p95 == null ? 0 : p95;
                    what = String.format(Locale.ROOT, "p95 latency of %s is at most %d ms over %d requests", model,
                            p95 == null ? 0 : p95, t.requests());
                }
            }
            if (value >= rule.threshold()) {
                findings.add(new Finding(rule, "model:" + model, Optional.of(model), value, rule.threshold(),
                        what + " in " + Windows.words(rule.window()),
                        reach(modelFilter(Optional.of(model)), from, to)));
            }
        }
        return findings;
    }

    private List<Finding> channels(Rule rule, long from, long to) {
        List<Finding> findings = new ArrayList<>();
        for (Channel channel : router.channels()) {
            Filter filter = new Filter(null, null, null, null, channel.id(), null, null);
            if (rule.kind() == RuleKind.CHANNEL_DOWN) {
                Circuit circuit = channel.circuit();
                boolean down = !channel.healthy() || circuit == Circuit.OPEN;
                if (down && 1 >= rule.threshold()) {
                    findings.add(new Finding(rule, "channel:" + channel.name(), Optional.empty(), 1, rule.threshold(),
                            "channel " + channel.name() + " is down ("
                                    + (channel.healthy() ? "circuit open" : "health check failing") + ")",
                            reach(filter, from, to)));
                }
            } else {
                long disabled = channel.keys().stream().filter(KeyState::disabled).count();
                if (disabled > 0 && disabled >= rule.threshold()) {
                    findings.add(new Finding(rule, "channel:" + channel.name(), Optional.empty(), disabled,
                            rule.threshold(), disabled + " of " + channel.keys().size() + " provider keys of channel "
                                    + channel.name() + " are disabled (refused by the provider)",
                            reach(filter, from, to)));
                }
            }
        }
        return findings;
    }

    private List<Finding> shifts(Rule rule, Instant now, long to) {
        List<Finding> findings = new ArrayList<>();
        for (Baselines.Comparison c : baselines.compare(now)) {
            if (rule.model().isPresent() && !rule.model().get().equals(c.model())) {
                continue;
            }
            if (!c.significant() || c.samplesBefore() < rule.minRequests() || c.samplesAfter() < rule.minRequests()) {
                continue;
            }
            double change = Math.abs(c.relativeChange());
            if (change >= rule.threshold()) {
                long from = c.changedAt().toEpochMilli();
                findings.add(new Finding(rule, "model:" + c.model(), Optional.of(c.model()), change, rule.threshold(),
                        c.describe(), reach(modelFilter(Optional.of(c.model())), Math.min(from, to - 1), to)));
            }
        }
        return findings;
    }
}
