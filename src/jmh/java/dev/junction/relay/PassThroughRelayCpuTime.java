package dev.junction.relay;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link PassThroughRelayBench} timed in thread CPU time (load-robust, see {@code AdmissionCpuTime}):
 * the handler's cost per relayed event, for each API and with continuation's bookkeeping on and off.
 * {@code java -cp <test classpath> dev.junction.relay.PassThroughRelayCpuTime [rounds]}.
 */
public final class PassThroughRelayCpuTime {

    private PassThroughRelayCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Blackhole hole = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        int n = 20_000;
        for (String api : new String[] {"chat", "messages"}) {
            for (boolean keep : new boolean[] {false, true}) {
                PassThroughRelayBench bench = new PassThroughRelayBench();
                bench.api = api;
                bench.keep = keep;
                bench.setUp(hole);
                int events = bench.eventCount();
                for (int w = 0; w < n * 2; w++) {
                    hole.consume(bench.stream());
                }
                double best = Double.MAX_VALUE;
                StringBuilder line = new StringBuilder(String.format("%-8s keep=%-5s", api, keep));
                for (int r = 0; r < rounds; r++) {
                    long start = threads.getCurrentThreadCpuTime();
                    for (int k = 0; k < n; k++) {
                        hole.consume(bench.stream());
                    }
                    double perEvent = (threads.getCurrentThreadCpuTime() - start) / (double) n / events;
                    best = Math.min(best, perEvent);
                    line.append(String.format(" %7.0f", perEvent));
                }
                System.out.println(line.append(String.format("   best %5.0f ns CPU per event", best)));
            }
        }
    }
}
