package dev.junction.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * {@link RoutingBench} and {@link ComplexityBench} operations timed in thread CPU time rather than
 * wall time: on a shared, loaded machine a thread that waits for a core does not count, so the
 * figure is what the operation itself costs (cache pollution by the neighbours still counts).
 * {@code java -cp <test classpath> dev.junction.bench.RoutingCpuTime [rounds]}.
 */
public final class RoutingCpuTime {

    private RoutingCpuTime() {
    }

    @FunctionalInterface
    interface Op {
        Object run();
    }

    public static void main(String[] args) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int n = 200_000;
        ComplexityBench complexity = new ComplexityBench();
        complexity.setUp();
        java.util.Map<String, Op> ops = new java.util.LinkedHashMap<>();
        ops.put("classify", complexity::classify);
        ops.put("routeAuto", complexity::routeAuto);
        ops.put("routeDirect", complexity::routeDirect);
        for (var strategy : dev.junction.config.RoutingConfig.Strategy.values()) {
            for (boolean limits : new boolean[] {false, true}) {
                RoutingBench bench = new RoutingBench();
                bench.strategy = strategy;
                bench.limits = limits;
                bench.setUp();
                ops.put("route " + strategy.configName() + (limits ? " limits" : ""), bench::route);
                ops.put("filterOnly " + strategy.configName() + (limits ? " limits" : ""), bench::filterOnly);
                if (strategy == dev.junction.config.RoutingConfig.Strategy.CHEAPEST) {
                    ops.put("routeImages cheapest" + (limits ? " limits" : ""), bench::routeImages);
                }
            }
        }
        Object sink = null;
        for (Op op : ops.values()) {
            for (int w = 0; w < n; w++) {
                sink = op.run();
            }
        }
        for (var entry : ops.entrySet()) {
            StringBuilder line = new StringBuilder(String.format("%-28s", entry.getKey()));
            double best = Double.MAX_VALUE;
            for (int r = 0; r < rounds; r++) {
                long start = threads.getCurrentThreadCpuTime();
                for (int k = 0; k < n; k++) {
                    sink = entry.getValue().run();
                }
                double perOp = (threads.getCurrentThreadCpuTime() - start) / (double) n;
                best = Math.min(best, perOp);
                line.append(String.format(" %8.0f", perOp));
            }
            System.out.println(line.append(String.format("   best %6.0f ns CPU/op", best)));
        }
        System.out.println(sink == null ? "" : "done");
    }
}
