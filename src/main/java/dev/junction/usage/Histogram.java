package dev.junction.usage;

/**
 * The latency histogram of the rollups: bucket {@code i} (0..10) counts values at or under
 * {@code 50 ms · 2^i} (50 ms, 100 ms, ... 51.2 s), bucket 11 everything above. Fixed log-scale bounds
 * let every rollup row add its counts to another's, so a percentile over any range and any filter is
 * read from the rollups alone; the answer is the upper bound of the bucket that holds it (at most a
 * factor of 2 above the true value, exact enough for a dashboard, and never read from raw rows).
 */
public final class Histogram {

    /** Number of buckets. */
    public static final int BUCKETS = 12;

    private Histogram() {
    }

    /** The bucket of a value in milliseconds. */
    public static int bucket(long millis) {
        long bound = 50;
        for (int i = 0; i < BUCKETS - 1; i++) {
            if (millis <= bound) {
                return i;
            }
            bound *= 2;
        }
        return BUCKETS - 1;
    }

    /** The upper bound of bucket {@code i} in milliseconds; the last bucket is open, reported as twice its lower bound. */
    static long upperBound(int i) {
        return 50L << Math.min(i, BUCKETS - 1);
    }

    /** The upper bound of the bucket holding the {@code p}-th percentile (0 &lt; p ≤ 100); null when empty. */
    public static Long percentile(long[] counts, double p) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return null;
        }
        long rank = (long) Math.ceil(total * p / 100.0);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= Math.max(1, rank)) {
                return upperBound(i);
            }
        }
        return upperBound(BUCKETS - 1);
    }
}
