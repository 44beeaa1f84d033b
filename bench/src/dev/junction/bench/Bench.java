package dev.junction.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * The whole-gateway bench: the same load straight to a fake provider and through the gateway, in
 * one run on one box, printed as absolute figures and ratios. Started by {@code bench/run.sh}.
 *
 * <p>Latency comes from a fixed-rate generator with coordinated-omission correction
 * ({@link OpenLoop}); maximum throughput from {@code wrk} (closed loop); CPU time per request from
 * {@code /proc/<pid>/stat} deltas of the gateway process; memory from {@code VmRSS}. Each
 * latency and throughput figure is measured {@code --rounds} times, alternating which side goes
 * first, and reported as the median with the spread across rounds.
 */
public final class Bench {

    private static final String KEY = "sk-bench-0123456789abcdef";
    private static final String MASTER_KEY = "bench-master-key-0123456789abcdefghijklmnop";
    private static final String MESSAGES = "\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful "
            + "assistant. Answer briefly.\"},{\"role\":\"user\",\"content\":\"Name three prime numbers and say "
            + "why each one is prime, in one short sentence each.\"}]";

    private final Path root;
    private final Path work;
    private final Path classpath;
    private final int rounds;
    private final int seconds;
    private final Set<String> only;
    private final boolean profile;
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final List<Process> started = new ArrayList<>();
    private final StringBuilder report = new StringBuilder();
    private int fakePort;
    private long fakePid;

    private Bench(Path root, Path work, Path classpath, int rounds, int seconds, Set<String> only,
            boolean profile) {
        this.only = only;
        this.profile = profile;
        this.root = root;
        this.work = work;
        this.classpath = classpath;
        this.rounds = rounds;
        this.seconds = seconds;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        Bench bench = new Bench(Path.of(options.get("--root")), Path.of(options.get("--work")),
                Path.of(options.get("--classpath")), Integer.parseInt(options.getOrDefault("--rounds", "2")),
                Integer.parseInt(options.getOrDefault("--seconds", "8")),
                Set.of(options.getOrDefault("--only", "startup,latency,throughput,events,translation,memory")
                        .split(",")), Boolean.parseBoolean(options.getOrDefault("--profile", "false")));
        Runtime.getRuntime().addShutdownHook(new Thread(bench::stopAll));
        int status = 1;
        try {
            bench.run(Path.of(options.get("--out")));
            status = 0;
        } catch (Exception | Error e) {
            e.printStackTrace();
        } finally {
            bench.stopAll();
        }
        System.exit(status); // HTTP client threads must not keep a failed bench alive
    }

    // ------------------------------------------------------------------------------------------
    // Scenario bodies

    private static byte[] chat(String model, boolean stream) {
        return ("{\"model\":\"" + model + "\"," + MESSAGES + ",\"temperature\":0.2,\"max_tokens\":64"
                + (stream ? ",\"stream\":true" : "") + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] anthropic(String model, boolean stream) {
        return ("{\"model\":\"" + model + "\",\"max_tokens\":64,\"system\":\"You are a helpful assistant. Answer "
                + "briefly.\",\"messages\":[{\"role\":\"user\",\"content\":\"Name three prime numbers and say why "
                + "each one is prime, in one short sentence each.\"}]" + (stream ? ",\"stream\":true" : "") + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private URI fake(String path) {
        return URI.create("http://127.0.0.1:" + fakePort + path);
    }

    private static URI gateway(Gateway gateway) {
        return URI.create("http://127.0.0.1:" + gateway.port + "/v1/chat/completions");
    }

    private static Map<String, String> auth() {
        return Map.of("Authorization", "Bearer " + KEY);
    }

    // ------------------------------------------------------------------------------------------
    // The run

    private void run(Path out) throws Exception {
        Files.createDirectories(work);
        header();
        startFake();
        Map<String, List<double[]>> startup = only.contains("startup") ? startupTimes() : Map.of();

        Gateway gw = startGateway("main", "", work.resolve("data-main"));
        String command = Files.readString(Path.of("/proc/" + gw.pid + "/cmdline")).replace('\0', ' ').strip();
        report.append("- gateway started by ./junction as: `").append(command).append("`\n");
        report.append("- sections: ").append(String.join(", ", new TreeSet<>(only))).append("\n");
        Thread.sleep(6000); // past the launcher's first native-heap trim (5 s)
        List<String[]> rssRows = new ArrayList<>();
        rssRows.add(new String[] {"RSS idle, 6 s after start", mb(Proc.rss(gw.pid)), "≤ 150 MB"});

        OpenLoop.Target directJson = new OpenLoop.Target(fake("/v1/chat/completions"), Map.of(),
                chat("bench", false), -1);
        OpenLoop.Target directStream = new OpenLoop.Target(fake("/v1/chat/completions"), Map.of(),
                chat("bench", true), -1);
        try (OpenLoop load = new OpenLoop(1024); Proc.RssSampler rss = new Proc.RssSampler(gw.pid)) {
            // The direct answers define the exact bytes every gateway answer must have.
            long jsonBytes = load.run(directJson, 10, 1, 10).bytes();
            long streamBytes = load.run(directStream, 10, 1, 10).bytes();
            directJson = withBytes(directJson, jsonBytes);
            directStream = withBytes(directStream, streamBytes);
            OpenLoop.Target viaJson = new OpenLoop.Target(gateway(gw), auth(), chat("bench", false), jsonBytes);
            OpenLoop.Target viaStream = new OpenLoop.Target(gateway(gw), auth(), chat("bench", true), streamBytes);

            System.out.println("warm-up ...");
            for (OpenLoop.Target t : List.of(directJson, directStream, viaJson, viaStream)) {
                check(load.run(t, 1000, 3000, 20), "warm-up " + t.uri());
            }
            wrk(viaJson, 64, 3);
            wrk(directJson, 64, 2);
            Thread.sleep(6000);
            rssRows.add(new String[] {"RSS idle, after warm-up", mb(Proc.rss(gw.pid)), ""});
            rss.reset();

            List<LatencyCase> latency = new ArrayList<>();
            if (only.contains("latency")) {
                for (int rate : new int[] {500, 1000}) {
                    latency.add(new LatencyCase("non-stream", rate, directJson, viaJson));
                    latency.add(new LatencyCase("stream", rate, directStream, viaStream));
                }
            }
            List<ThroughputCase> throughput = only.contains("throughput")
                    ? List.of(new ThroughputCase(64), new ThroughputCase(256)) : List.of();
            for (int round = 0; round < rounds; round++) {
                boolean gatewayFirst = round % 2 == 1;
                for (LatencyCase c : latency) {
                    System.out.printf("round %d: %s %d rps%n", round + 1, c.kind, c.rate);
                    for (boolean viaGateway : gatewayFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                        if (viaGateway) {
                            c.gateway.add(measure(load, c.via, c.rate, gw));
                        } else {
                            c.direct.add(measure(load, c.direct0, c.rate, gw));
                        }
                    }
                }
                for (ThroughputCase c : throughput) {
                    System.out.printf("round %d: wrk %d connections%n", round + 1, c.connections);
                    for (boolean viaGateway : gatewayFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                        if (viaGateway) {
                            c.gateway.add(wrkMeasured(viaJson, c.connections, gw));
                        } else {
                            c.direct.add(wrkMeasured(directJson, c.connections, gw));
                        }
                    }
                }
            }
            if (!latency.isEmpty() || !throughput.isEmpty()) {
                rssRows.add(new String[] {"RSS under load (peak over the latency and throughput runs)",
                        mb(rss.peak()), ""});
            }
            List<String[]> events = only.contains("events") ? streamEvents(viaJson, viaStream, gw) : List.of();
            List<String[]> translation = only.contains("translation") ? translation(load, gw) : List.of();
            Thread.sleep(6000);
            rssRows.add(new String[] {"RSS idle, after all load", mb(Proc.rss(gw.pid)), ""});
            stop(gw);

            if (!latency.isEmpty()) {
                latencyTable(latency);
            }
            if (!throughput.isEmpty()) {
                throughputTable(throughput);
            }
            if (!events.isEmpty()) {
                section("Cost per streamed event, closed loop (wrk, 64 connections)");
                report.append("The split stream is the same answer written one event per write, each as soon as the "
                        + "last has gone (as a Node server's `res.write` per event), so events reach the gateway one "
                        + "by one instead of in one read. Per event = (split stream − non-stream) / events.\n\n");
                table(List.of("request", "gateway CPU µs/req", "per event", "gateway rps"), events);
            }
            if (!translation.isEmpty()) {
                translationTable(translation);
            }
            List<String[]> memory = only.contains("memory") ? memory() : List.of();
            section("Memory and start-up");
            table(List.of("figure", "measured", "target"), concat(rssRows, memory, startupRows(startup)));
        }
        Files.writeString(out, report);
        System.out.println();
        System.out.println(report);
        System.out.println("(written to " + out + ")");
    }

    private static OpenLoop.Target withBytes(OpenLoop.Target t, long bytes) {
        return new OpenLoop.Target(t.uri(), t.headers(), t.body(), bytes);
    }

    private static void check(OpenLoop.Outcome o, String what) {
        if (o.errors() > 0) {
            throw new IllegalStateException(what + ": " + o.errors() + " errors, first: " + o.firstError());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Measurements

    /** One open-loop run with the gateway's and the fake's CPU time around it. */
    private record Run(OpenLoop.Outcome outcome, long gatewayCpu, long fakeCpu) {
        double gatewayMicrosPerRequest() {
            return outcome.ok() == 0 ? Double.NaN : gatewayCpu / 1000.0 / outcome.ok();
        }

        double fakeMicrosPerRequest() {
            return outcome.ok() == 0 ? Double.NaN : fakeCpu / 1000.0 / outcome.ok();
        }
    }

    private Run measure(OpenLoop load, OpenLoop.Target target, int rate, Gateway gw) throws InterruptedException {
        long g0 = Proc.cpuNanos(gw.pid);
        long f0 = Proc.cpuNanos(fakePid);
        OpenLoop.Outcome o = load.run(target, rate, rate * seconds, 30);
        Run run = new Run(o, Proc.cpuNanos(gw.pid) - g0, Proc.cpuNanos(fakePid) - f0);
        if (o.errors() > 0) {
            System.out.printf("  %d errors (first: %s)%n", o.errors(), o.firstError());
        }
        return run;
    }

    private static final class LatencyCase {
        final String kind;
        final int rate;
        final OpenLoop.Target direct0;
        final OpenLoop.Target via;
        final List<Run> direct = new ArrayList<>();
        final List<Run> gateway = new ArrayList<>();

        LatencyCase(String kind, int rate, OpenLoop.Target direct, OpenLoop.Target via) {
            this.kind = kind;
            this.rate = rate;
            this.direct0 = direct;
            this.via = via;
        }
    }

    private record WrkResult(double rps, long requests, long errors, long gatewayCpu, long fakeCpu) {
        double gatewayMicrosPerRequest() {
            return gatewayCpu / 1000.0 / Math.max(1, requests);
        }

        double fakeMicrosPerRequest() {
            return fakeCpu / 1000.0 / Math.max(1, requests);
        }
    }

    private static final class ThroughputCase {
        final int connections;
        final List<WrkResult> direct = new ArrayList<>();
        final List<WrkResult> gateway = new ArrayList<>();

        ThroughputCase(int connections) {
            this.connections = connections;
        }
    }

    private WrkResult wrkMeasured(OpenLoop.Target target, int connections, Gateway gw) throws Exception {
        long g0 = Proc.cpuNanos(gw.pid);
        long f0 = Proc.cpuNanos(fakePid);
        WrkResult r = wrk(target, connections, seconds);
        return new WrkResult(r.rps, r.requests, r.errors, Proc.cpuNanos(gw.pid) - g0, Proc.cpuNanos(fakePid) - f0);
    }

    /** Gateway CPU per request for a whole answer, a stream read at once and a stream written event by event. */
    private List<String[]> streamEvents(OpenLoop.Target json, OpenLoop.Target stream, Gateway gw) throws Exception {
        OpenLoop.Target split = new OpenLoop.Target(gateway(gw), auth(), chat("bench-split", true), -1);
        String answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                fake("/split/v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofByteArray(
                        chat("bench", true))).build(), HttpResponse.BodyHandlers.ofString()).body();
        int events = answer.split("\n\n").length;
        System.out.println("events: warm-up ...");
        wrk(split, 64, 4);
        List<OpenLoop.Target> targets = List.of(json, stream, split);
        List<List<WrkResult>> results = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < targets.size(); i++) {
                System.out.printf("round %d: events, %s%n", round + 1, i == 0 ? "non-stream" : i == 1 ? "stream"
                        : "split stream");
                results.get(i).add(wrkMeasured(targets.get(i), 64, gw));
            }
        }
        List<Double> base = results.get(0).stream().map(WrkResult::gatewayMicrosPerRequest).toList();
        List<String[]> rows = new ArrayList<>();
        String[] names = {"non-stream", "stream, " + events + " events read at once",
                "stream, " + events + " events written one by one (split)"};
        for (int i = 0; i < targets.size(); i++) {
            List<Double> cpu = results.get(i).stream().map(WrkResult::gatewayMicrosPerRequest).toList();
            List<Double> perEvent = new ArrayList<>();
            for (int r = 0; i > 0 && r < Math.min(cpu.size(), base.size()); r++) {
                perEvent.add((cpu.get(r) - base.get(r)) / events);
            }
            rows.add(new String[] {names[i], cpu(cpu), i == 0 ? "" : "%.1f µs [%s]".formatted(median(perEvent),
                    spread(perEvent, "", 1)), cpu(results.get(i).stream().map(WrkResult::rps).toList())});
            long errors = results.get(i).stream().mapToLong(WrkResult::errors).sum();
            if (errors > 0) {
                rows.getLast()[3] += " (" + errors + " errors)";
            }
        }
        return rows;
    }

    private static final Pattern WRK_REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern WRK_RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern WRK_NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern WRK_SOCKET = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    /** Closed loop: {@code connections} connections each sending the next request as soon as one answers. */
    private WrkResult wrk(OpenLoop.Target target, int connections, int durationSeconds) throws Exception {
        Path script = work.resolve("wrk-" + Math.abs(Arrays.hashCode(target.body())) + ".lua");
        StringBuilder lua = new StringBuilder("wrk.method = \"POST\"\n")
                .append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
        target.headers().forEach((k, v) -> lua.append("wrk.headers[\"").append(k).append("\"] = \"").append(v)
                .append("\"\n"));
        lua.append("wrk.body = [==[").append(new String(target.body(), StandardCharsets.UTF_8)).append("]==]\n");
        Files.writeString(script, lua);
        String output = Proc.run(durationSeconds + 30L, "wrk", "-t2", "-c" + connections, "-d" + durationSeconds + "s",
                "--timeout", "10s", "-s", script.toString(), target.uri().toString());
        long requests = find(WRK_REQUESTS, output, 0);
        double rps = Double.parseDouble(find(WRK_RPS, output, "0"));
        long errors = find(WRK_NON_2XX, output, 0);
        Matcher socket = WRK_SOCKET.matcher(output);
        if (socket.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(socket.group(i));
            }
        }
        if (errors > 0) {
            System.out.printf("  wrk %s c=%d: %d errors%n", target.uri(), connections, errors);
        }
        return new WrkResult(rps, requests, errors, 0, 0);
    }

    private static long find(Pattern pattern, String text, long fallback) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : fallback;
    }

    private static String find(Pattern pattern, String text, String fallback) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : fallback;
    }

    // ------------------------------------------------------------------------------------------
    // TRANSLATION HOOK. Other client formats and channel types: a client in one API served by a
    // channel of another (the gateway translates request and answer), and Anthropic pass-through.
    // The fake speaks Anthropic Messages at /anthropic/v1/messages; junction.bench.yaml routes
    // 'bench-anthropic' there and 'bench' to the OpenAI-style fake. "Direct" is the call the
    // gateway makes, asked natively of the fake. A path the gateway cannot serve yet (its probe
    // fails) prints "pending"; add Gemini or Responses rows to PATHS the same way.

    /** One client format against one channel format; bodies take the {@code stream} flag. */
    private record FormatPath(String name, String gatewayPath, Map<String, String> gatewayHeaders,
            java.util.function.Function<Boolean, byte[]> gatewayBody, String directPath,
            Map<String, String> directHeaders, java.util.function.Function<Boolean, byte[]> directBody) {
    }

    private static final Map<String, String> ANTHROPIC_CLIENT = Map.of("x-api-key", KEY, "anthropic-version",
            "2023-06-01");
    private static final List<FormatPath> PATHS = List.of(
            new FormatPath("OpenAI client → OpenAI channel (pass-through)", "/v1/chat/completions", auth(),
                    stream -> chat("bench", stream), "/v1/chat/completions", Map.of(),
                    stream -> chat("bench-model", stream)),
            new FormatPath("OpenAI client → Anthropic channel", "/v1/chat/completions", auth(),
                    stream -> chat("bench-anthropic", stream), "/anthropic/v1/messages", ANTHROPIC_CLIENT,
                    stream -> anthropic("bench-model", stream)),
            new FormatPath("Anthropic client → OpenAI channel", "/v1/messages", ANTHROPIC_CLIENT,
                    stream -> anthropic("bench", stream), "/v1/chat/completions", Map.of(),
                    stream -> chat("bench-model", stream)),
            new FormatPath("Anthropic client → Anthropic channel (pass-through)", "/v1/messages", ANTHROPIC_CLIENT,
                    stream -> anthropic("bench-anthropic", stream), "/anthropic/v1/messages", ANTHROPIC_CLIENT,
                    stream -> anthropic("bench-model", stream)));

    private List<String[]> translation(OpenLoop load, Gateway gw) throws Exception {
        List<String[]> rows = new ArrayList<>();
        for (FormatPath path : PATHS) {
            URI via = URI.create("http://127.0.0.1:" + gw.port + path.gatewayPath());
            OpenLoop.Outcome probe = load.run(new OpenLoop.Target(via, path.gatewayHeaders(),
                    path.gatewayBody().apply(false), -1), 10, 1, 10);
            if (probe.ok() != 1) {
                rows.add(new String[] {path.name(), "pending (" + probe.firstError() + ")", "", "", "", "", ""});
                continue;
            }
            System.out.println(path.name() + " ...");
            for (boolean stream : new boolean[] {false, true}) {
                OpenLoop.Target direct = new OpenLoop.Target(fake(path.directPath()), path.directHeaders(),
                        path.directBody().apply(stream), -1);
                OpenLoop.Target gateway = new OpenLoop.Target(via, path.gatewayHeaders(),
                        path.gatewayBody().apply(stream), -1);
                check(load.run(gateway, 500, 1000, 20), path.name() + " warm-up");
                wrk(gateway, 64, 4); // tens of thousands of requests: past the JIT, as the main paths are
                Run d = measure(load, direct, 500, gw);
                Run v = measure(load, gateway, 500, gw);
                WrkResult closed = wrkMeasured(gateway, 64, gw);
                rows.add(new String[] {path.name() + (stream ? ", stream (last byte)" : ", non-stream"),
                        percentiles(d.outcome.lastByte()), percentiles(v.outcome.lastByte()),
                        added(v.outcome.lastByte(), d.outcome.lastByte()),
                        "%.0f".formatted(v.gatewayMicrosPerRequest()),
                        "%.0f (%.0f rps)".formatted(closed.gatewayMicrosPerRequest(), closed.rps()),
                        Long.toString(d.outcome.errors() + v.outcome.errors() + closed.errors())});
            }
        }
        return rows;
    }

    // ------------------------------------------------------------------------------------------
    // Memory and start-up

    /** Wall and CPU milliseconds to a healthy /health: a first start (new database), then restarts. */
    private Map<String, List<double[]>> startupTimes() throws Exception {
        System.out.println("start-up ...");
        Map<String, List<double[]>> times = new LinkedHashMap<>();
        Path data = work.resolve("data-startup");
        for (int i = 0; i < 4; i++) {
            Gateway g = startGateway("startup-" + i, "", data);
            times.computeIfAbsent(i == 0 ? "first start (creates the database)" : "restart", k -> new ArrayList<>())
                    .add(new double[] {g.startMillis, g.startCpuMillis});
            stop(g);
        }
        return times;
    }

    private List<String[]> memory() throws Exception {
        System.out.println("memory: 1,000 concurrent slow streams and one 50 MB stream, -Xmx256m ...");
        Gateway gw = startGateway("mem", "-Xmx256m", work.resolve("data-mem"));
        List<String[]> rows = new ArrayList<>();
        try (OpenLoop many = new OpenLoop(2048); Proc.RssSampler rss = new Proc.RssSampler(gw.pid)) {
            // Slow streams: 20 events 150 ms apart (~3 s each), started over one second, so all
            // 1,000 are open at once for about two seconds.
            OpenLoop.Target slowDirect = new OpenLoop.Target(fake("/slow/v1/chat/completions"), Map.of(),
                    chat("bench-slow", true), -1);
            long slowBytes = many.run(slowDirect, 10, 1, 20).bytes();
            OpenLoop.Target slow = new OpenLoop.Target(gateway(gw), auth(), chat("bench-slow", true), slowBytes);
            OpenLoop.Target bigDirect = new OpenLoop.Target(fake("/big/v1/chat/completions"), Map.of(),
                    chat("bench-big", true), -1);
            OpenLoop.Outcome direct = many.run(bigDirect, 10, 1, 60);
            OpenLoop.Target big = new OpenLoop.Target(gateway(gw), auth(), chat("bench-big", true), direct.bytes());
            // Warm this fresh gateway like the main one, so CPU figures are not the JIT's.
            check(many.run(new OpenLoop.Target(gateway(gw), auth(), chat("bench", true), -1), 1000, 5000, 30),
                    "memory warm-up");
            check(many.run(big, 10, 1, 120), "memory warm-up (big stream)");
            List<String[]> bigRows = new ArrayList<>();
            // One 50 MB stream (the second; the first warmed up the heap to its working size): RSS must
            // not grow with the answer. Measured before the 1,000 streams, whose heap probe runs a full
            // GC that shrinks the heap again.
            long before = Proc.rss(gw.pid);
            rss.record();
            OpenLoop.Outcome via = many.run(big, 10, 1, 120);
            List<long[]> series = rss.stopRecording();
            List<String> quarters = new ArrayList<>();
            for (int q = 1; q <= 4 && !series.isEmpty(); q++) {
                quarters.add(mb(series.get(Math.max(0, q * series.size() / 4 - 1))[1]));
            }
            bigRows.add(new String[] {"one %.0f MB stream: RSS before, then at 1/4, 1/2, 3/4, end".formatted(
                    direct.bytes() / 1048576.0), "%s → %s%s".formatted(mb(before), String.join(", ", quarters),
                    via.errors() == 0 ? "" : " (ERROR " + via.firstError() + ")"), "flat"});
            bigRows.add(new String[] {"  that stream's duration, direct / gateway",
                    "%.2f s / %.2f s".formatted(direct.lastByte().getMaxValue() / 1e9,
                            via.lastByte().getMaxValue() / 1e9), ""});

            Thread.sleep(1000);
            rss.reset();
            Thread heapProbe = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(2000);
                    rows.add(new String[] {"live heap with 1,000 streams open (after a full GC)",
                            liveHeap(gw.pid), ""});
                } catch (Exception e) {
                    rows.add(new String[] {"heap with 1,000 streams open", "n/a: " + e.getMessage(), ""});
                }
            });
            long cpu0 = Proc.cpuNanos(gw.pid);
            OpenLoop.Outcome o = many.run(slow, 1000, 1000, 30);
            long cpu = Proc.cpuNanos(gw.pid) - cpu0;
            heapProbe.join();
            rows.addFirst(new String[] {"1,000 concurrent slow streams, -Xmx256m",
                    "%d ok, %d errors, %d open at once%s".formatted(o.ok(), o.errors(), o.maxInFlight(),
                            o.firstError() == null ? "" : " (" + o.firstError() + ")"),
                    "0 errors"});
            rows.add(new String[] {"RSS with 1,000 streams open (peak)", mb(rss.peak()), ""});
            int events = FakeUpstream.CHUNKS + 2; // the fake's chunks, the usage chunk, [DONE]
            rows.add(new String[] {"  gateway CPU per slow stream / per event (events 150 ms apart)",
                    "%.0f µs / %.0f µs".formatted(cpu / 1000.0 / o.ok(), cpu / 1000.0 / o.ok() / events), ""});

            rows.addAll(bigRows);
        } finally {
            stop(gw);
        }

        return rows;
    }

    private static List<String[]> startupRows(Map<String, List<double[]>> startup) {
        List<String[]> rows = new ArrayList<>();
        startup.forEach((k, v) -> {
            List<Double> wall = v.stream().map(t -> t[0]).toList();
            List<Double> cpu = v.stream().map(t -> t[1]).toList();
            rows.add(new String[] {"start-up to a healthy /health (./junction), " + k,
                    v.size() == 1 ? "%.0f ms wall, %.0f ms CPU".formatted(wall.getFirst(), cpu.getFirst())
                            : "%.0f ms wall [%s], %.0f ms CPU [%s]".formatted(median(wall), spread(wall, "", 0),
                                    median(cpu), spread(cpu, "", 0)), "≤ 1 s"});
        });
        return rows;
    }

    @SafeVarargs
    private static List<String[]> concat(List<String[]>... lists) {
        List<String[]> all = new ArrayList<>();
        for (List<String[]> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("Total\\s+\\d+\\s+(\\d+)");

    /** Bytes reachable right now: a class histogram runs a full GC first and sums what survived. */
    private String liveHeap(long pid) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        String histogram = Proc.run(60, jcmd, Long.toString(pid), "GC.class_histogram");
        Files.writeString(root.resolve("target/bench/heap-1000-streams.txt"), histogram);
        if (profile) {
            Proc.run(60, jcmd, Long.toString(pid), "JFR.dump", "path-to-gc-roots=true",
                    "filename=" + root.resolve("target/bench/heap-1000-streams.jfr"));
        }
        Matcher m = HISTOGRAM_TOTAL.matcher(histogram);
        return m.find() ? mb(Long.parseLong(m.group(1))) : "n/a";
    }

    // ------------------------------------------------------------------------------------------
    // Processes

    /** A started gateway; {@code startMillis} and {@code startCpuMillis} until /health answered 200. */
    private record Gateway(Process process, long pid, int port, double startMillis, double startCpuMillis) {
    }

    private void startFake() throws IOException {
        Process p = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xms256m", "-Xmx256m", "-cp", classpath.toString(),
                "dev.junction.bench.FakeUpstream", "--port", "0", "--slow-delay-ms", "150",
                "--big-mb", "50")
                .redirectError(work.resolve("fake.log").toFile()).start();
        String line = String.valueOf(new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                StandardCharsets.US_ASCII)).readLine());
        Matcher m = Pattern.compile("fake listening on (\\d+)").matcher(line);
        if (!m.find()) {
            throw new IllegalStateException("the fake did not start: " + line);
        }
        fakePort = Integer.parseInt(m.group(1));
        fakePid = p.pid();
        remember(p);
    }

    private Gateway startGateway(String name, String javaOpts, Path data) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(data);
        ProcessBuilder pb = new ProcessBuilder(root.resolve("junction").toString(), "serve", "--config",
                root.resolve("bench/junction.bench.yaml").toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("gateway-" + name + ".log").toFile());
        pb.environment().put("BENCH_PORT", Integer.toString(port));
        pb.environment().put("BENCH_FAKE_PORT", Integer.toString(fakePort));
        pb.environment().put("BENCH_DATA", data.toString());
        pb.environment().put("JUNCTION_MASTER_KEY", MASTER_KEY);
        pb.environment().put("JUNCTION_LOG_LEVEL", "WARN");
        if (profile && !name.startsWith("startup")) {
            // JFR's profile settings: CPU samples, allocation samples and old-object samples (leak paths).
            javaOpts += " -XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + root.resolve("target/bench/" + name + ".jfr");
        }
        String extra = System.getenv("BENCH_GATEWAY_OPTS"); // e.g. an async-profiler agent (bench/PROFILE.md)
        if (extra != null && !extra.isBlank()) {
            javaOpts += " " + extra;
        }
        pb.environment().put("JUNCTION_JAVA_OPTS", javaOpts);
        long t0 = System.nanoTime();
        Process p = pb.start();
        remember(p);
        long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
        while (Proc.health(port) != 200) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the gateway did not become healthy; see "
                        + work.resolve("gateway-" + name + ".log"));
            }
            Thread.sleep(5);
        }
        double wall = (System.nanoTime() - t0) / 1e6;
        return new Gateway(p, p.pid(), port, wall, Proc.cpuNanos(p.pid()) / 1e6);
    }

    /** Kept so run.sh can stop it (by pid) even if this JVM dies. */
    private void remember(Process p) throws IOException {
        started.add(p);
        Files.writeString(work.resolve("pids"), p.pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void stop(Gateway g) throws InterruptedException {
        g.process.destroy();
        if (!g.process.waitFor(15, TimeUnit.SECONDS)) {
            g.process.destroyForcibly();
        }
    }

    private void stopAll() {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroy();
                try {
                    if (!p.waitFor(10, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Report

    private void header() throws Exception {
        String commit = Proc.run(10, "git", "-C", root.toString(), "rev-parse", "--short", "HEAD").strip();
        boolean dirty = !Proc.run(10, "git", "-C", root.toString(), "status", "--porcelain", "--untracked-files=no")
                .isBlank();
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse("?");
        report.append("## Junction bench, ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .append("\n\n")
                .append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores (")
                .append(cpu).append("), load average at start ")
                .append(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]).append("; generator, fake and "
                        + "gateway share it\n")
                .append("- JDK: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append('\n')
                .append("- commit: ").append(commit).append(dirty ? " (with uncommitted changes)" : "").append('\n')
                .append("- rounds: ").append(rounds).append(" × ").append(seconds).append(" s per figure; shown: "
                        + "median, [min–max] over rounds\n");
    }

    private void section(String title) {
        report.append("\n### ").append(title).append("\n\n");
    }

    private void table(List<String> head, List<String[]> rows) {
        report.append("| ").append(String.join(" | ", head)).append(" |\n|");
        head.forEach(h -> report.append("---|"));
        report.append('\n');
        for (String[] row : rows) {
            report.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
    }

    private void latencyTable(List<LatencyCase> cases) {
        section("Latency, open loop (fixed rate, coordinated-omission corrected), ms");
        report.append("Added = gateway percentile − direct percentile, per round. CPU = gateway process CPU time "
                + "(user+sys) per request.\n\n");
        List<String[]> rows = new ArrayList<>();
        for (LatencyCase c : cases) {
            boolean stream = c.kind.equals("stream");
            List<String> metrics = stream ? List.of("first byte", "last byte") : List.of("response");
            for (String metric : metrics) {
                ToDoubleFunction<Histogram> p50 = h -> h.getValueAtPercentile(50) / 1e6;
                ToDoubleFunction<Histogram> p99 = h -> h.getValueAtPercentile(99) / 1e6;
                ToDoubleFunction<Histogram> p999 = h -> h.getValueAtPercentile(99.9) / 1e6;
                java.util.function.Function<Run, Histogram> hist = metric.equals("first byte")
                        ? r -> r.outcome.firstByte() : r -> r.outcome.lastByte();
                String direct = triple(c.direct, hist, p50, p99, p999);
                String via = triple(c.gateway, hist, p50, p99, p999);
                List<String> addedParts = new ArrayList<>();
                for (ToDoubleFunction<Histogram> p : List.of(p50, p99, p999)) {
                    List<Double> deltas = new ArrayList<>();
                    for (int i = 0; i < Math.min(c.direct.size(), c.gateway.size()); i++) {
                        deltas.add(p.applyAsDouble(hist.apply(c.gateway.get(i)))
                                - p.applyAsDouble(hist.apply(c.direct.get(i))));
                    }
                    addedParts.add("%+.2f [%s]".formatted(median(deltas), spread(deltas, "", 2)));
                }
                int errors = c.gateway.stream().mapToInt(r -> r.outcome.errors()).sum()
                        + c.direct.stream().mapToInt(r -> r.outcome.errors()).sum();
                rows.add(new String[] {c.kind + " " + c.rate + " rps", metric, direct, via,
                        String.join(" / ", addedParts),
                        metric.equals("first byte") ? "" : cpu(c.gateway.stream()
                                .map(Run::gatewayMicrosPerRequest).toList()),
                        metric.equals("first byte") ? "" : Integer.toString(errors)});
            }
        }
        table(List.of("load", "to", "direct p50 / p99 / p99.9", "gateway p50 / p99 / p99.9",
                "added p50 / p99 / p99.9", "gateway CPU µs/req", "errors"), rows);
        List<Double> fakeCpu = cases.stream().flatMap(c -> c.direct.stream()).map(Run::fakeMicrosPerRequest).toList();
        report.append("\nThe fake itself used %s per request (direct runs).\n".formatted(cpu(fakeCpu)));
        List<Double> rates = cases.stream().flatMap(c -> c.gateway.stream()).map(r -> r.outcome.rate()).toList();
        report.append("Achieved gateway rates: %s rps (offered 500 and 1,000).\n".formatted(
                rates.stream().map(r -> "%.0f".formatted(r)).toList()));
    }

    private static String triple(List<Run> runs, java.util.function.Function<Run, Histogram> hist,
            ToDoubleFunction<Histogram> p50, ToDoubleFunction<Histogram> p99, ToDoubleFunction<Histogram> p999) {
        List<String> parts = new ArrayList<>();
        for (ToDoubleFunction<Histogram> p : List.of(p50, p99, p999)) {
            parts.add("%.2f".formatted(median(runs.stream().map(r -> p.applyAsDouble(hist.apply(r))).toList())));
        }
        return String.join(" / ", parts);
    }

    private void throughputTable(List<ThroughputCase> cases) {
        section("Maximum throughput, closed loop (wrk, non-stream)");
        List<String[]> rows = new ArrayList<>();
        for (ThroughputCase c : cases) {
            List<Double> direct = c.direct.stream().map(WrkResult::rps).toList();
            List<Double> via = c.gateway.stream().map(WrkResult::rps).toList();
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < Math.min(direct.size(), via.size()); i++) {
                ratios.add(100 * via.get(i) / direct.get(i));
            }
            long errors = c.direct.stream().mapToLong(WrkResult::errors).sum()
                    + c.gateway.stream().mapToLong(WrkResult::errors).sum();
            rows.add(new String[] {Integer.toString(c.connections),
                    "%.0f [%s]".formatted(median(direct), spread(direct, "", 0)),
                    "%.0f [%s]".formatted(median(via), spread(via, "", 0)),
                    "%.0f %% [%s]".formatted(median(ratios), spread(ratios, "", 0)),
                    cpu(c.gateway.stream().map(WrkResult::gatewayMicrosPerRequest).toList()),
                    cpu(c.direct.stream().map(WrkResult::fakeMicrosPerRequest).toList()),
                    Long.toString(errors)});
        }
        table(List.of("connections", "direct rps", "gateway rps", "gateway / direct", "gateway CPU µs/req",
                "fake CPU µs/req (direct)", "errors"), rows);
    }

    private void translationTable(List<String[]> rows) {
        section("Formats: pass-through and translation, 500 rps open loop (ms) and closed loop (wrk, 64 connections)");
        table(List.of("path", "direct p50 / p99 / p99.9", "gateway p50 / p99 / p99.9", "added p50 / p99 / p99.9",
                "gateway CPU µs/req at 500 rps", "gateway CPU µs/req closed loop", "errors"), rows);
    }

    private static String percentiles(Histogram h) {
        return "%.2f / %.2f / %.2f".formatted(h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
                h.getValueAtPercentile(99.9) / 1e6);
    }

    private static String added(Histogram via, Histogram direct) {
        return "%+.2f / %+.2f / %+.2f".formatted((via.getValueAtPercentile(50) - direct.getValueAtPercentile(50)) / 1e6,
                (via.getValueAtPercentile(99) - direct.getValueAtPercentile(99)) / 1e6,
                (via.getValueAtPercentile(99.9) - direct.getValueAtPercentile(99.9)) / 1e6);
    }

    private static String cpu(List<Double> micros) {
        return "%.0f [%s]".formatted(median(micros), spread(micros, "", 0));
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static String spread(List<Double> values, String unit, int decimals) {
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + "–" + f, min, max) + (unit.isEmpty() ? "" : " " + unit);
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "n/a" : "%.0f MB".formatted(bytes / 1048576.0);
    }
}
