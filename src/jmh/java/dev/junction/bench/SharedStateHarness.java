package dev.junction.bench;

import dev.junction.core.Clock;
import dev.junction.state.BreakerPolicy;
import dev.junction.state.Increment;
import dev.junction.state.SharedState;
import dev.junction.state.State;
import dev.junction.state.StateKey;
import dev.junction.state.Window;
import dev.junction.testing.RedisKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What shared state adds per operation on the admission and routing paths: p50/p99 latency of each
 * operation on Redis (127.0.0.1:6379, a throw-away key prefix) against the in-memory state, on one
 * thread and on 16 virtual threads at once. A latency harness rather than JMH, because the answer
 * wanted is a distribution of round trips, not a mean.
 *
 * <pre>./mvnw -q -Pjmh test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.junction.bench.SharedStateHarness</pre>
 */
public final class SharedStateHarness {

    private static final int OPS = 20_000;
    private static final BreakerPolicy POLICY = new BreakerPolicy(5, 0.5, 20, Duration.ofSeconds(60),
            Duration.ofSeconds(30));

    private interface Op {
        void run(State state, int i);
    }

    public static void main(String[] args) throws Exception {
        String prefix = "junction-bench-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        Clock clock = Clock.system();
        State memory = State.inMemory(clock);
        try (SharedState shared = SharedState.connect("redis://127.0.0.1:6379?prefix=" + prefix, clock)) {
            State redis = shared.state();
            List<String> names = List.of("tryAdd (1 counter)", "tryAddAll (4 counters: key rpm+tpm, user, team)",
                    "add (give back / settle)", "breaker record (success)", "breaker tryAcquire (closed)",
                    "cooldown until (read)");
            List<Op> ops = List.of(
                    (s, i) -> s.counters().tryAdd(StateKey.key(1, "k" + (i % 64)), "requests", minute(), 1,
                            Long.MAX_VALUE),
                    (s, i) -> s.counters().tryAddAll(List.of(
                            new Increment(StateKey.key(0, "key-" + (i % 64)), "requests", minute(), 1, Long.MAX_VALUE),
                            new Increment(StateKey.key(0, "key-" + (i % 64)), "tokens", minute(), 800, Long.MAX_VALUE),
                            new Increment(StateKey.key(0, "user-" + (i % 16)), "requests", minute(), 1, Long.MAX_VALUE),
                            new Increment(StateKey.key(0, "team-" + (i % 4)), "usd_micros", Window.OPEN, 300,
                                    Long.MAX_VALUE))),
                    (s, i) -> s.counters().add(StateKey.key(1, "k" + (i % 64)), "in_flight", Window.OPEN, 1),
                    (s, i) -> s.breakers().record(StateKey.channel(i % 8), false, POLICY, Instant.now()),
                    (s, i) -> s.breakers().tryAcquire(StateKey.channel(i % 8), Instant.now()),
                    (s, i) -> s.cooldowns().until(StateKey.key(i % 8, "k")));
            System.out.printf("%-48s %12s %12s %12s %12s%n", "operation (µs)", "memory p50", "memory p99",
                    "redis p50", "redis p99");
            for (int threads : new int[] {1, 16}) {
                System.out.println("-- " + threads + (threads == 1 ? " thread" : " virtual threads at once"));
                for (int o = 0; o < ops.size(); o++) {
                    run(memory, ops.get(o), threads); // warm-up
                    run(redis, ops.get(o), threads);
                    long[] m = run(memory, ops.get(o), threads);
                    long[] r = run(redis, ops.get(o), threads);
                    System.out.printf("%-48s %12.1f %12.1f %12.1f %12.1f%n", names.get(o), pct(m, 50) / 1e3,
                            pct(m, 99) / 1e3, pct(r, 50) / 1e3, pct(r, 99) / 1e3);
                }
            }
            System.out.println("fallbacks during the run: " + shared.fallbacks());
        } finally {
            RedisKeys.deleteAll(prefix);
        }
    }

    private static Window minute() {
        return Window.fixed(Duration.ofMinutes(1), Instant.now());
    }

    /** Nanoseconds of each of OPS calls, spread over {@code threads}. */
    private static long[] run(State state, Op op, int threads) throws Exception {
        long[] samples = new long[OPS];
        int per = OPS / threads;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int from = t * per;
                done.add(pool.submit(() -> {
                    for (int i = from; i < from + per; i++) {
                        long start = System.nanoTime();
                        op.run(state, i);
                        samples[i] = System.nanoTime() - start;
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        return samples;
    }

    private static double pct(long[] samples, int p) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
