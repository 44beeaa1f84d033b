package dev.junction.admin.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the baseline-shift rule and exception evidence get their comparisons: per public model,
 * cost per request under the current routing-config version against the latest earlier one with
 * traffic. {@link IntervalBaselines} adapts the baselines the dashboard shows ({@code
 * usage.Baselines}: 95 % intervals, a minimum sample), so the rule calls a change exactly when the
 * Versions & baselines page does.
 */
@FunctionalInterface
public interface Baselines {

    /** The comparisons now, one per model with traffic under both versions. */
    List<Comparison> compare(Instant now);

    /**
     * One model's comparison.
     *
     * @param metric what is compared, e.g. {@code cost_per_request_usd}
     * @param margin the half-width of the change's confidence interval as a relative change (0 when unknown)
     * @param significant whether the comparer calls it a change (enough samples, outside the interval)
     * @param text the comparer's line for people, e.g. "cost per request +18.0 % ± 4.0 % since version 12"
     */
    record Comparison(String model, long previousVersion, long currentVersion, Instant changedAt, String metric,
            double before, double after, long samplesBefore, long samplesAfter, double margin, boolean significant,
            String text) {

        public Comparison {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(changedAt, "changedAt");
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(text, "text");
        }

        /** after / before − 1 (0.18 = +18 %); infinite when it was free before and is not now. */
        public double relativeChange() {
            if (before == 0) {
                return after == 0 ? 0 : Double.POSITIVE_INFINITY;
            }
            return after / before - 1;
        }

        /** The comparer's line with the sample sizes, e.g. "… since version 12 (40 → 38 requests)". */
        public String describe() {
            return String.format(Locale.ROOT, "%s (%d → %d requests)", text, samplesBefore, samplesAfter);
        }
    }
}
