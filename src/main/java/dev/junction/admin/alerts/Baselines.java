package dev.junction.admin.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the baseline-shift rule and exception evidence get their comparisons: per public model,
 * cost per request under the current routing-config version against the version before it. The
 * baseline service (issue 19, first half) implements it with confidence intervals; until it is
 * wired, {@link VersionBaselines} compares plain means from the usage rows.
 */
@FunctionalInterface
public interface Baselines {

    /** The comparisons now, one per model with traffic under both versions. */
    List<Comparison> compare(Instant now);

    /** No comparisons (the rule then never fires). */
    static Baselines none() {
        return now -> List.of();
    }

    /**
     * One model's comparison.
     *
     * @param metric what is compared, e.g. {@code cost_per_request_usd}
     * @param margin the half-width of the change's confidence interval as a relative change (0 when unknown)
     * @param significant whether the comparer calls it a change (enough samples, outside the interval)
     */
    record Comparison(String model, long previousVersion, long currentVersion, Instant changedAt, String metric,
            double before, double after, long samplesBefore, long samplesAfter, double margin, boolean significant) {

        public Comparison {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(changedAt, "changedAt");
            Objects.requireNonNull(metric, "metric");
        }

        /** after / before − 1 (0.18 = +18 %); infinite when it was free before and is not now. */
        public double relativeChange() {
            if (before == 0) {
                return after == 0 ? 0 : Double.POSITIVE_INFINITY;
            }
            return after / before - 1;
        }

        /** E.g. "cost per request +18 % ± 4 % since version 12 (0.002 → 0.00236 USD, 40 → 38 requests)". */
        public String describe() {
            double change = relativeChange();
            String pct = Double.isInfinite(change) ? "from nothing" : String.format(Locale.ROOT, "%+.0f %%", change * 100);
            String margin = this.margin > 0 ? String.format(Locale.ROOT, " ± %.0f %%", this.margin * 100) : "";
            return String.format(Locale.ROOT, "%s %s%s since version %d (%.6g → %.6g, %d → %d requests)",
                    metric.replace('_', ' '), pct, margin, currentVersion, before, after, samplesBefore, samplesAfter);
        }
    }
}
