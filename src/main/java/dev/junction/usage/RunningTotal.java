package dev.junction.usage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The running total of one {@code usage_version} row, and of any sum of such rows: counts, sums and
 * sums of squares of tokens, cost, latency and time to first token, and their histograms. The
 * writer adds usage records to it ({@link VersionRollup}); {@link Baselines} adds the rows it reads
 * back and makes means and intervals of it. One set of measures, named once in {@link #MEASURES}.
 */
final class RunningTotal {

    /** The measure columns of {@code usage_version}, in the order {@link #bind} writes them. */
    static final List<String> MEASURES = measures();

    long requests;
    long failovers;
    long prompt;
    long completion;
    double tokensSq;
    long cost;
    double costSq;
    long costUnknown;
    long latencySum;
    double latencySq;
    long ttftSum;
    double ttftSq;
    long ttftCount;
    final long[] latency = new long[Histogram.BUCKETS];
    final long[] ttft = new long[Histogram.BUCKETS];

    private static List<String> measures() {
        List<String> m = new ArrayList<>(List.of("requests", "failovers", "prompt_tokens", "completion_tokens",
                "tokens_sq", "cost_micros", "cost_sq", "cost_unknown", "latency_ms_sum", "latency_sq", "ttft_ms_sum",
                "ttft_sq", "ttft_count"));
        IntStream.range(0, Histogram.BUCKETS).forEach(i -> m.add("lat_h" + i));
        IntStream.range(0, Histogram.BUCKETS).forEach(i -> m.add("ttft_h" + i));
        return List.copyOf(m);
    }

    /** Counts one request. */
    void add(UsageRecord r) {
        requests++;
        failovers += r.attempts().size() > 1 ? 1 : 0;
        prompt += r.tokens().input();
        completion += r.tokens().output();
        double tokens = (double) r.tokens().input() + r.tokens().output();
        tokensSq += tokens * tokens;
        if (r.costMicros() != null) {
            cost += r.costMicros();
            costSq += (double) r.costMicros() * r.costMicros();
        } else {
            costUnknown++;
        }
        latencySum += r.latencyMillis();
        latencySq += (double) r.latencyMillis() * r.latencyMillis();
        latency[Histogram.bucket(r.latencyMillis())]++;
        if (r.firstByteMillis() >= 0) {
            ttftSum += r.firstByteMillis();
            ttftSq += (double) r.firstByteMillis() * r.firstByteMillis();
            ttftCount++;
            ttft[Histogram.bucket(r.firstByteMillis())]++;
        }
    }

    /** Adds another total (a row read back, or a part of a scope). */
    void add(RunningTotal o) {
        requests += o.requests;
        failovers += o.failovers;
        prompt += o.prompt;
        completion += o.completion;
        tokensSq += o.tokensSq;
        cost += o.cost;
        costSq += o.costSq;
        costUnknown += o.costUnknown;
        latencySum += o.latencySum;
        latencySq += o.latencySq;
        ttftSum += o.ttftSum;
        ttftSq += o.ttftSq;
        ttftCount += o.ttftCount;
        for (int i = 0; i < Histogram.BUCKETS; i++) {
            latency[i] += o.latency[i];
            ttft[i] += o.ttft[i];
        }
    }

    long tokens() {
        return prompt + completion;
    }

    /** {@code SUM(m) AS m} for every measure, for a query that groups rows of {@code usage_version}. */
    static String sums() {
        return String.join(", ", MEASURES.stream().map(m -> "SUM(" + m + ") AS " + m).toList());
    }

    /** The total in the current row of {@code rs}, whose columns are named as {@link #MEASURES}. */
    static RunningTotal read(ResultSet rs) throws SQLException {
        RunningTotal t = new RunningTotal();
        t.requests = rs.getLong("requests");
        t.failovers = rs.getLong("failovers");
        t.prompt = rs.getLong("prompt_tokens");
        t.completion = rs.getLong("completion_tokens");
        t.tokensSq = rs.getDouble("tokens_sq");
        t.cost = rs.getLong("cost_micros");
        t.costSq = rs.getDouble("cost_sq");
        t.costUnknown = rs.getLong("cost_unknown");
        t.latencySum = rs.getLong("latency_ms_sum");
        t.latencySq = rs.getDouble("latency_sq");
        t.ttftSum = rs.getLong("ttft_ms_sum");
        t.ttftSq = rs.getDouble("ttft_sq");
        t.ttftCount = rs.getLong("ttft_count");
        for (int i = 0; i < Histogram.BUCKETS; i++) {
            t.latency[i] = rs.getLong("lat_h" + i);
            t.ttft[i] = rs.getLong("ttft_h" + i);
        }
        return t;
    }

    /** Binds the measures in {@link #MEASURES} order from parameter {@code i}; returns the next parameter. */
    int bind(PreparedStatement s, int i) throws SQLException {
        s.setLong(i++, requests);
        s.setLong(i++, failovers);
        s.setLong(i++, prompt);
        s.setLong(i++, completion);
        s.setDouble(i++, tokensSq);
        s.setLong(i++, cost);
        s.setDouble(i++, costSq);
        s.setLong(i++, costUnknown);
        s.setLong(i++, latencySum);
        s.setDouble(i++, latencySq);
        s.setLong(i++, ttftSum);
        s.setDouble(i++, ttftSq);
        s.setLong(i++, ttftCount);
        for (long value : latency) {
            s.setLong(i++, value);
        }
        for (long value : ttft) {
            s.setLong(i++, value);
        }
        return i;
    }
}
