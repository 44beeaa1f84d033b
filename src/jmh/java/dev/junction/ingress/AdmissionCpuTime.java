package dev.junction.ingress;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The {@link AdmissionBench} operations timed in thread CPU time rather than wall time: on a shared,
 * loaded machine a thread that waits for a core does not count, so the figure is what the operation
 * itself costs. {@code java -cp <test classpath> dev.junction.ingress.AdmissionCpuTime}.
 */
public final class AdmissionCpuTime {

    private AdmissionCpuTime() {
    }

    @FunctionalInterface
    interface Op {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        AdmissionBench bench = new AdmissionBench();
        bench.setUp();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String[] names = {"keyLookup", "demand", "reserveAndSettle", "limitsAndBudget", "admitWithoutLimits",
            "admitWithLimits"};
        Op[] ops = {bench::keyLookup, bench::demand, bench::reserveAndSettle, bench::limitsAndBudget,
            bench::admitWithoutLimits, bench::admitWithLimits};
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int n = 200_000;
        for (int i = 0; i < ops.length; i++) {
            for (int w = 0; w < n; w++) {
                ops[i].run();
            }
        }
        for (int i = 0; i < ops.length; i++) {
            StringBuilder line = new StringBuilder(String.format("%-20s", names[i]));
            double best = Double.MAX_VALUE;
            for (int r = 0; r < rounds; r++) {
                long start = threads.getCurrentThreadCpuTime();
                for (int k = 0; k < n; k++) {
                    ops[i].run();
                }
                double perOp = (threads.getCurrentThreadCpuTime() - start) / (double) n;
                best = Math.min(best, perOp);
                line.append(String.format(" %8.0f", perOp));
            }
            System.out.println(line.append(String.format("   best %6.0f ns CPU/op", best)));
        }
    }
}
