package dev.junction.admin.alerts;

import dev.junction.store.ConfigVersions;
import dev.junction.usage.Baselines.Change;
import dev.junction.usage.Baselines.Metric;
import dev.junction.usage.Baselines.Report;
import dev.junction.usage.Baselines.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link Baselines} from the interval-based baselines the dashboard shows ({@code usage.Baselines}):
 * per public model with traffic under both the current version and the latest earlier one, the
 * cost-per-request change with its 95 % interval, significant only when that comparer's verdict is
 * {@link Verdict#CHANGED} (the minimum sample on each side, an interval that excludes zero, a change
 * large enough to matter). Noise within the interval and too few requests are not significant.
 */
final class IntervalBaselines implements Baselines {

    static final String METRIC = "cost_per_request_usd";

    private final dev.junction.usage.Baselines baselines;
    private final ConfigVersions versions;

    IntervalBaselines(dev.junction.usage.Baselines baselines, ConfigVersions versions) {
        this.baselines = Objects.requireNonNull(baselines, "baselines");
        this.versions = Objects.requireNonNull(versions, "versions");
    }

    @Override
    public List<Comparison> compare(Instant now) {
        Report report = baselines.compare(0, 0);
        if (report.against() == 0) {
            return List.of();
        }
        Instant changedAt = versions.find(report.version()).map(v -> Instant.ofEpochMilli(v.atMillis())).orElse(now);
        List<Comparison> comparisons = new ArrayList<>();
        for (dev.junction.usage.Baselines.Comparison c : report.models()) {
            if (c.previous() == null || c.previous().requests() == 0 || c.current().requests() == 0) {
                continue;
            }
            Change cost = c.change(Metric.COST_PER_REQUEST).orElseThrow();
            comparisons.add(new Comparison(c.model(), report.against(), report.version(), changedAt, METRIC,
                    cost.before().value(), cost.after().value(), c.previous().requests(), c.current().requests(),
                    Double.isNaN(cost.relativeMargin()) ? 0 : cost.relativeMargin(), cost.verdict() == Verdict.CHANGED,
                    cost.text()));
        }
        return comparisons;
    }
}
