package dev.junction.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak (issue 21): a real gateway (started by {@code ./junction serve}) under mixed stream and
 * non-stream traffic over every client API (OpenAI chat completions, Anthropic Messages, Gemini,
 * Responses, embeddings) for {@code --minutes}, in front of a fake provider that injects faults on
 * the primary channel (5xx, 429 with Retry-After, resets, slow first bytes, streams cut after
 * content); a clean backup channel takes what fails over. It reports the outcomes the clients saw,
 * the gateway's memory over time (RSS, heap used: lowest and highest sample of each interval), and
 * reconciles the usage table one for one against the requests sent: every answer's
 * {@code x-request-id} must have exactly one usage row, with the status the client saw, and no row
 * may belong to no request. The gateway is stopped with SIGTERM first, so its queue is flushed.
 *
 * <p>Usage: {@code Soak --root DIR --work DIR --out FILE [--minutes 10] [--rate 40] [--workers 32]
 * [--continue-streams true] [--database postgresql://USER@HOST:PORT/DB] [--redis redis://HOST:PORT]
 * [--redis-cut-every 120] [--redis-cut-for 15]} ({@code false}: a stream cut after content ends with the
 * in-band error instead of being continued on the backup). With {@code --database} the usage table is
 * on that PostgreSQL, in a schema of the soak's own (dropped afterwards); with {@code --redis} the
 * gateway shares its state there (a key prefix of its own, deleted afterwards), holding the soak key
 * to generous limits and a budget so every request goes through the shared counters, and reaches
 * Redis through a TCP proxy the soak cuts for {@code --redis-cut-for} seconds every
 * {@code --redis-cut-every} seconds (0: never), an injected Redis outage the gateway must ride out on
 * local state.
 */
public final class Soak {

    private static final String KEY = "sk-soak-0123456789abcdef";
    private static final String MASTER = "soak-master-key-0123456789abcdef0123456789";

    /** A client API and the shape of its request. */
    enum Route {
        CHAT(false), CHAT_STREAM(true), MESSAGES(false), MESSAGES_STREAM(true), GEMINI(false), GEMINI_STREAM(true),
        RESPONSES(false), RESPONSES_STREAM(true), EMBEDDINGS(false);

        final boolean stream;

        Route(boolean stream) {
            this.stream = stream;
        }

        String path() {
            return switch (this) {
                case CHAT, CHAT_STREAM -> "/v1/chat/completions";
                case MESSAGES, MESSAGES_STREAM -> "/v1/messages";
                case GEMINI -> "/v1beta/models/soak:generateContent";
                case GEMINI_STREAM -> "/v1beta/models/soak:streamGenerateContent?alt=sse";
                case RESPONSES, RESPONSES_STREAM -> "/v1/responses";
                case EMBEDDINGS -> "/v1/embeddings";
            };
        }

        String body(int n) {
            String text = "soak request " + n + ", say something";
            return switch (this) {
                case CHAT, CHAT_STREAM -> "{\"model\":\"soak\",\"stream\":" + stream
                        + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "")
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
                case MESSAGES, MESSAGES_STREAM -> "{\"model\":\"soak\",\"max_tokens\":200,\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
                case GEMINI, GEMINI_STREAM -> "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"" + text
                        + "\"}]}]}";
                case RESPONSES, RESPONSES_STREAM -> "{\"model\":\"soak\",\"stream\":" + stream + ",\"store\":false,"
                        + "\"input\":\"" + text + "\"}";
                case EMBEDDINGS -> "{\"model\":\"soak-embed\",\"input\":\"" + text + "\"}";
            };
        }

        /** Whether a 200 body is a complete answer (a stream's clean end), not an in-band error. */
        boolean complete(String body) {
            return switch (this) {
                case CHAT_STREAM -> body.contains("data: [DONE]") && !body.contains("{\"error\"");
                case MESSAGES_STREAM -> body.contains("event: message_stop") && !body.contains("event: error");
                case GEMINI_STREAM -> body.contains("\"finishReason\"") && !body.contains("\"error\"");
                case RESPONSES_STREAM -> body.contains("response.completed") && !body.contains("\"type\":\"error\"")
                        && !body.contains("response.failed");
                default -> body.startsWith("{");
            };
        }
    }

    /** What one request came to, as the client saw it. */
    record Sent(Route route, String requestId, int status, boolean complete, long millis) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path root = Path.of(opts.get("root"));
        Path work = Path.of(opts.get("work"));
        Path out = Path.of(opts.get("out"));
        double minutes = Double.parseDouble(opts.getOrDefault("minutes", "10"));
        double rate = Double.parseDouble(opts.getOrDefault("rate", "40"));
        int workers = Integer.parseInt(opts.getOrDefault("workers", "32"));
        boolean continueStreams = Boolean.parseBoolean(opts.getOrDefault("continue-streams", "true"));
        Soak soak = new Soak(root, work, out, minutes, rate, workers, continueStreams);
        soak.database = opts.get("database");
        soak.redis = opts.get("redis");
        soak.cutEvery = Integer.parseInt(opts.getOrDefault("redis-cut-every", "120"));
        soak.cutFor = Integer.parseInt(opts.getOrDefault("redis-cut-for", "15"));
        soak.run();
    }

    private final Path root;
    private final Path work;
    private final Path out;
    private final double minutes;
    private final double rate;
    private final int workers;
    private final boolean continueStreams;
    private final FaultyProvider fake = new FaultyProvider();
    private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
    private final LongAdder noAnswer = new LongAdder();
    private final String tag = "soak_" + Long.toHexString(System.nanoTime() & 0xffffffffL);
    private String database;
    private String redis;
    private int cutEvery;
    private int cutFor;
    private CutProxy redisProxy;
    private final List<String> redisCuts = new ArrayList<>();
    private int healthSamples;
    private final List<Long> degradedAt = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> noAnswerReasons = new ConcurrentLinkedQueue<>();

    private Soak(Path root, Path work, Path out, double minutes, double rate, int workers,
            boolean continueStreams) {
        this.continueStreams = continueStreams;
        this.root = root;
        this.work = work;
        this.out = out;
        this.minutes = minutes;
        this.rate = rate;
        this.workers = workers;
    }

    private void run() throws Exception {
        HttpServer upstream = fake.start();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path data = Files.createDirectories(work.resolve("soak-data"));
        Path config = work.resolve("soak.yaml");
        String redisUrl = null;
        if (redis != null) {
            URI target = URI.create(redis);
            redisProxy = CutProxy.to(target.getHost(), target.getPort() < 0 ? 6379 : target.getPort());
            redisUrl = "redis://127.0.0.1:" + redisProxy.port() + "?prefix=" + tag + ":";
        }
        Files.writeString(config, config(port, upstream.getAddress().getPort(), data, continueStreams,
                database == null ? "sqlite:" + data + "/junction.db" : database + "?currentSchema=" + tag, redisUrl));
        ProcessBuilder pb = new ProcessBuilder(root.resolve("junction").toString(), "serve", "--config",
                config.toString()).redirectErrorStream(true).redirectOutput(work.resolve("gateway-soak.log").toFile());
        pb.environment().put("JUNCTION_MASTER_KEY", MASTER);
        pb.environment().put("JUNCTION_LOG_LEVEL", "WARN");
        pb.environment().put("JUNCTION_JAVA_OPTS", "-Xmx256m");
        Process gateway = pb.start();
        Files.writeString(work.resolve("pids"), gateway.pid() + "\n");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (Proc.health(port) != 200) {
            if (!gateway.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the gateway did not become healthy; see gateway-soak.log");
            }
            Thread.sleep(20);
        }
        System.out.printf("soak: gateway pid %d on %d, %.1f min at %.0f requests/s, %d workers%n", gateway.pid(),
                port, minutes, rate, workers);

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(10)).build();
        List<long[]> memory = new ArrayList<>(); // second, rss, heap used
        long start = System.nanoTime();
        long end = start + (long) (minutes * 60e9);
        AtomicLong counter = new AtomicLong();
        long intervalNanos = (long) (workers / rate * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            SplittableRandom random = new SplittableRandom(w * 7919L + 1);
            long offset = intervalNanos * w / workers;
            threads.add(Thread.ofVirtual().start(() -> work(http, port, random, counter, start + offset, end,
                    intervalNanos)));
        }
        HttpClient metrics = HttpClient.newHttpClient();
        long nextCut = cutEvery > 0 ? cutEvery : Long.MAX_VALUE;
        long restoreAt = Long.MAX_VALUE;
        while (System.nanoTime() < end) {
            long second = (System.nanoTime() - start) / 1_000_000_000L;
            if (redisProxy != null && second >= nextCut) {
                redisProxy.cut();
                redisCuts.add(second + " s");
                restoreAt = second + cutFor;
                nextCut += cutEvery;
                System.out.printf("soak: %4d s, Redis cut for %d s%n", second, cutFor);
            }
            if (redisProxy != null && second >= restoreAt) {
                redisProxy.restore();
                restoreAt = Long.MAX_VALUE;
            }
            memory.add(new long[] {second, Proc.rss(gateway.pid()), heapUsed(metrics, port)});
            if (redisProxy != null) {
                healthSamples++;
                if (health(metrics, port).contains("\"redis\":\"down\"")) {
                    degradedAt.add(second);
                }
            }
            Thread.sleep(2000);
            if (second % 30 == 0) {
                System.out.printf("soak: %4d s, %d requests, RSS %d MB%n", second, sent.size(),
                        Proc.rss(gateway.pid()) >> 20);
            }
        }
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(3));
        }
        memory.add(new long[] {(System.nanoTime() - start) / 1_000_000_000L, Proc.rss(gateway.pid()),
            heapUsed(metrics, port)});
        double wall = (System.nanoTime() - start) / 1e9;

        gateway.destroy(); // SIGTERM: drains and flushes the usage queue
        boolean stopped = gateway.waitFor(60, TimeUnit.SECONDS);
        int exit = stopped ? gateway.exitValue() : -1;
        if (!stopped) {
            gateway.destroyForcibly();
        }
        upstream.stop(0);
        if (redisProxy != null) {
            redisProxy.close();
        }
        String report = report(wall, exit, memory, reconcile(data.resolve("junction.db")));
        cleanUp();
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        System.out.println("soak: report written to " + out);
    }

    private void work(HttpClient http, int port, SplittableRandom random, AtomicLong counter, long first, long end,
            long interval) {
        Route[] routes = Route.values();
        long next = first;
        while (true) {
            long now = System.nanoTime();
            if (next > now) {
                try {
                    TimeUnit.NANOSECONDS.sleep(next - now);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (System.nanoTime() >= end) {
                return;
            }
            next += interval;
            Route route = routes[random.nextInt(routes.length)];
            int n = (int) counter.incrementAndGet();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + route.path()))
                    .timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "application/json")
                    .header(route == Route.GEMINI || route == Route.GEMINI_STREAM ? "x-goog-api-key"
                            : route == Route.MESSAGES || route == Route.MESSAGES_STREAM ? "x-api-key" : "Authorization",
                            route.path().startsWith("/v1beta") || route.path().equals("/v1/messages") ? KEY
                                    : "Bearer " + KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(route.body(n))).build();
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                String id = response.headers().firstValue("x-request-id").orElse(null);
                boolean complete = response.statusCode() == 200 && route.complete(response.body());
                sent.add(new Sent(route, id, response.statusCode(), complete, (System.nanoTime() - t0) / 1_000_000));
            } catch (IOException e) {
                noAnswer.increment();
                noAnswerReasons.add(route + ": " + e);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String health(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | RuntimeException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static final Pattern HEAP = Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} (\\S+)$");

    /** The sum of the heap pools' used bytes from {@code /metrics}, or -1. */
    private static long heapUsed(HttpClient http, int port) {
        try {
            String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = HEAP.matcher(text);
            double sum = 0;
            boolean any = false;
            while (m.find()) {
                sum += Double.parseDouble(m.group(1));
                any = true;
            }
            return any ? (long) sum : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** What the usage table says against what was sent. */
    record Reconciliation(long rows, long matched, long missing, long duplicated, long orphans, long statusMismatch,
            long noId, List<String> examples) {
    }

    private Reconciliation reconcile(Path db) throws Exception {
        Map<String, List<Integer>> rows = new HashMap<>();
        long total = 0;
        try (Connection c = database == null ? DriverManager.getConnection("jdbc:sqlite:" + db) : postgres();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT request_id, status FROM usage")) {
            while (r.next()) {
                rows.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r.getInt(2));
                total++;
            }
        }
        long matched = 0;
        long missing = 0;
        long duplicated = 0;
        long mismatch = 0;
        long noId = 0;
        List<String> examples = new ArrayList<>();
        Map<String, Boolean> ids = new HashMap<>();
        for (Sent s : sent) {
            if (s.requestId() == null) {
                noId++;
                continue;
            }
            ids.put(s.requestId(), true);
            List<Integer> statuses = rows.get(s.requestId());
            if (statuses == null) {
                missing++;
                if (examples.size() < 10) {
                    examples.add("missing " + s);
                }
            } else if (statuses.size() > 1) {
                duplicated++;
            } else if (statuses.getFirst() != s.status()) {
                mismatch++;
                if (examples.size() < 10) {
                    examples.add("status " + statuses.getFirst() + " recorded for " + s);
                }
            } else {
                matched++;
            }
        }
        long orphans = rows.keySet().stream().filter(id -> !ids.containsKey(id)).count();
        return new Reconciliation(total, matched, missing, duplicated, orphans, mismatch, noId, examples);
    }

    /** A connection to the soak's schema on {@code --database} ({@code postgresql://user@host:port/db}). */
    private Connection postgres() throws java.sql.SQLException {
        URI uri = URI.create(database);
        String user = uri.getUserInfo() == null ? System.getProperty("user.name") : uri.getUserInfo().split(":")[0];
        return DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432
                : uri.getPort()) + uri.getPath() + "?currentSchema=" + tag, user, "");
    }

    /** With {@code redis:} (a budget to charge), prices for the fake's models, which no catalog knows. */
    private static String prices(String redis) {
        return redis == null ? "" : "\n    prices:\n      soak-model: { input: 1, output: 2 }"
                + "\n      soak-embedding: { input: 0.1, output: 0 }";
    }

    /** Drops the soak's schema and deletes its Redis keys. */
    private void cleanUp() {
        if (database != null) {
            try (Connection c = postgres(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + tag + " CASCADE");
            } catch (java.sql.SQLException e) {
                System.out.println("soak: could not drop schema " + tag + ": " + e.getMessage());
            }
        }
        if (redis != null) {
            URI target = URI.create(redis);
            try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis(target.getHost(),
                    target.getPort() < 0 ? 6379 : target.getPort())) {
                String cursor = "0";
                do {
                    var page = jedis.scan(cursor, new redis.clients.jedis.params.ScanParams().match(tag + ":*")
                            .count(1000));
                    page.getResult().forEach(jedis::del);
                    cursor = page.getCursor();
                } while (!cursor.equals("0"));
            } catch (RuntimeException e) {
                System.out.println("soak: could not delete Redis keys " + tag + ":*: " + e.getMessage());
            }
        }
    }

    private String report(double wall, int exit, List<long[]> memory, Reconciliation rec) {
        StringBuilder md = new StringBuilder();
        md.append("# Soak, ").append(Instant.now()).append("\n\n");
        md.append(String.format(Locale.ROOT, "%.1f min of traffic (%.1f s wall), target %.0f requests/s from %d "
                + "workers; gateway `-Xmx256m`, %s, `failover.continue_streams: %s`; SIGTERM exit code %d.%n%n",
                minutes, wall, rate, workers, database == null ? "SQLite" : "PostgreSQL (schema " + tag + ")"
                        + (redis == null ? "" : " and Redis (prefix " + tag + ":, through a proxy cut for " + cutFor
                        + " s at " + redisCuts + ")"), continueStreams, exit));
        md.append("Injected on the primary channel (the backup is clean): ").append(fake.describe()).append("\n\n");
        if (redisProxy != null) {
            md.append("`/health` sampled every 2 s said `\"redis\":\"down\"` in ").append(degradedAt.size())
                    .append(" of ").append(healthSamples).append(" samples, at s ").append(degradedAt).append("\n\n");
        }
        Map<Route, long[]> byRoute = new EnumMap<>(Route.class);
        Map<Integer, Long> statuses = new TreeMap<>();
        List<Long> latencies = new ArrayList<>();
        for (Sent s : sent) {
            long[] c = byRoute.computeIfAbsent(s.route(), r -> new long[4]);
            c[0]++;
            if (s.status() == 200 && s.complete()) {
                c[1]++;
            } else if (s.status() == 200) {
                c[2]++;
            } else {
                c[3]++;
            }
            statuses.merge(s.status(), 1L, Long::sum);
            latencies.add(s.millis());
        }
        md.append("| client API | requests | complete answers | 200 ending with the in-band error | error status |\n");
        md.append("|---|---:|---:|---:|---:|\n");
        long[] all = new long[4];
        byRoute.forEach((route, c) -> {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d |%n", route, c[0], c[1], c[2], c[3]));
            for (int i = 0; i < 4; i++) {
                all[i] += c[i];
            }
        });
        md.append(String.format(Locale.ROOT, "| **all** | **%d** | **%d** | **%d** | **%d** |%n%n", all[0], all[1],
                all[2], all[3]));
        latencies.sort(null);
        md.append("Statuses seen: ").append(statuses).append("; requests with no HTTP answer at all: ")
                .append(noAnswer.sum()).append(noAnswerReasons.isEmpty() ? "" : " (e.g. " + noAnswerReasons.peek()
                        + ")").append(".\n");
        if (!latencies.isEmpty()) {
            md.append(String.format(Locale.ROOT, "Latency per request (client-side, ms): p50 %d, p99 %d, max %d.%n%n",
                    latencies.get(latencies.size() / 2), latencies.get((int) (latencies.size() * 0.99)),
                    latencies.getLast()));
        }
        md.append("Faults the fake injected: ").append(fake.counts()).append("\n\n");
        md.append("**Usage rows reconciled one for one** (after SIGTERM flushed the queue):\n\n");
        md.append("| answers with an x-request-id | usage rows | matched (one row, same status) | missing | "
                + "duplicated | status differs | rows for no request sent | answers without an id |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        md.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %d | %d | %d | %d |%n%n", sent.size() - rec.noId(),
                rec.rows(), rec.matched(), rec.missing(), rec.duplicated(), rec.statusMismatch(), rec.orphans(),
                rec.noId()));
        rec.examples().forEach(e -> md.append("- ").append(e).append('\n'));
        md.append("\n**Gateway memory over time** (RSS; heap used by `/metrics`, the lowest and highest "
                + "sample of each interval, sampled every 2 s):\n\n");
        md.append("| from s | RSS MB (last) | heap used MB, lowest | heap used MB, highest |\n|---:|---:|---:|---:|\n");
        int bucket = Math.max(30, (int) (minutes * 60 / 12));
        Map<Long, long[]> buckets = new TreeMap<>();
        for (long[] m : memory) {
            long[] b = buckets.computeIfAbsent(m[0] / bucket * bucket, k -> new long[] {0, Long.MAX_VALUE, 0});
            b[0] = m[1];
            if (m[2] >= 0) {
                b[1] = Math.min(b[1], m[2]);
                b[2] = Math.max(b[2], m[2]);
            }
        }
        buckets.forEach((from, b) -> md.append(String.format(Locale.ROOT, "| %d | %d | %s | %d |%n", from, b[0] >> 20,
                b[1] == Long.MAX_VALUE ? "-" : Long.toString(b[1] >> 20), b[2] >> 20)));
        return md.toString();
    }

    private static String config(int port, int fakePort, Path data, boolean continueStreams, String database,
            String redis) {
        return (redis == null ? "" : "redis: \"" + redis + "\"\n") + """
                listen: 127.0.0.1:%d
                database: %s
                keys:
                  - name: soak
                    key: %s
                    models: ["*"]%s
                failover:
                  cooldown: 2s
                  continue_streams: %s
                channels:
                  - name: flaky
                    type: openai
                    base_url: http://127.0.0.1:%d/flaky/v1
                    api_key: sk-fake-upstream-flaky
                    priority: 10
                    timeout: { connect: 2s, first_byte: 5s, idle: 5s }
                    models: { soak: soak-model, soak-embed: soak-embedding }%s
                  - name: steady
                    type: openai
                    base_url: http://127.0.0.1:%d/steady/v1
                    api_key: sk-fake-upstream-steady
                    priority: 5
                    models: { soak: soak-model, soak-embed: soak-embedding }%s
                """.formatted(port, database, KEY, redis == null ? ""
                        : "\n    limits: { rpm: 1000000, tpm: 1000000000, concurrent: 10000 }"
                        + "\n    budget: { usd: 100000, period: day }", continueStreams, fakePort, prices(redis),
                fakePort, prices(redis));
    }

    /**
     * An OpenAI-compatible provider on the JDK's HTTP server: chat completions (JSON or a stream with
     * usage) and embeddings. Under {@code /flaky/} it misbehaves at random by the table below; under
     * {@code /steady/} never.
     */
    static final class FaultyProvider {
        enum Fault { NONE, STATUS_500, STATUS_429, HEADERS_THEN_SILENCE, SLOW_FIRST_BYTE, CUT_AFTER_CONTENT }

        private final Map<Fault, Double> odds = new EnumMap<>(Map.of(Fault.STATUS_500, 0.06, Fault.STATUS_429, 0.03,
                Fault.HEADERS_THEN_SILENCE, 0.03, Fault.SLOW_FIRST_BYTE, 0.03, Fault.CUT_AFTER_CONTENT, 0.03));
        private final Map<Fault, LongAdder> counts = new ConcurrentHashMap<>();
        private final SplittableRandom seed = new SplittableRandom(2126);

        String describe() {
            StringBuilder text = new StringBuilder();
            odds.forEach((f, p) -> text.append(text.isEmpty() ? "" : ", ").append(f.name().toLowerCase(Locale.ROOT))
                    .append(String.format(Locale.ROOT, " %.0f %%", p * 100)));
            return text + " of requests (a cut only on streams, after the first content)";
        }

        String counts() {
            Map<String, Long> view = new TreeMap<>();
            counts.forEach((f, n) -> view.put(f.name().toLowerCase(Locale.ROOT), n.sum()));
            return view.toString();
        }

        HttpServer start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                try {
                    serve(exchange);
                } catch (IOException e) {
                    // the gateway hung up
                } finally {
                    exchange.close();
                }
            });
            server.start();
            return server;
        }

        private synchronized Fault draw(boolean flaky) {
            if (!flaky) {
                return Fault.NONE;
            }
            double x = seed.nextDouble();
            for (Map.Entry<Fault, Double> e : odds.entrySet()) {
                if (x < e.getValue()) {
                    return e.getKey();
                }
                x -= e.getValue();
            }
            return Fault.NONE;
        }

        private void serve(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean stream = body.contains("\"stream\":true");
            Fault fault = draw(path.startsWith("/flaky/"));
            if (fault == Fault.CUT_AFTER_CONTENT && (!stream || path.endsWith("/embeddings"))) {
                fault = Fault.NONE;
            }
            counts.computeIfAbsent(fault, f -> new LongAdder()).increment();
            switch (fault) {
                case STATUS_500 -> {
                    send(exchange, 500, "{\"error\":{\"message\":\"injected\",\"type\":\"server_error\"}}");
                    return;
                }
                case STATUS_429 -> {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    send(exchange, 429, "{\"error\":{\"message\":\"injected\",\"type\":\"rate_limit_error\"}}");
                    return;
                }
                case HEADERS_THEN_SILENCE -> {
                    // Status and headers, then no byte of the declared body: ended by the channel's idle timeout (5 s).
                    exchange.sendResponseHeaders(200, 1000);
                    exchange.getResponseBody().close();
                    return;
                }
                case SLOW_FIRST_BYTE -> sleep(300);
                default -> {
                }
            }
            if (path.endsWith("/embeddings")) {
                send(exchange, 200, "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
                        + "\"embedding\":[0.1,0.2,0.3,0.4]}],\"model\":\"soak-embedding\",\"usage\":{\"prompt_tokens\":"
                        + "8,\"total_tokens\":8}}");
                return;
            }
            if (!stream) {
                send(exchange, 200, "{\"id\":\"chatcmpl-soak\",\"object\":\"chat.completion\",\"created\":1,"
                        + "\"model\":\"soak-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                        + "\"content\":\"A soak answer of a few words.\"},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":8,\"total_tokens\":20}}");
                return;
            }
            StringBuilder events = new StringBuilder();
            events.append(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
            for (int i = 0; i < 8; i++) {
                events.append(chunk("{\"content\":\"word" + i + " \"}", null));
            }
            String head = events.toString();
            events.setLength(0);
            events.append(chunk("{}", "\"stop\""));
            events.append("data: {\"id\":\"chatcmpl-soak\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"soak-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":8,"
                    + "\"total_tokens\":20}}\n\ndata: [DONE]\n\n");
            byte[] first = head.getBytes(StandardCharsets.UTF_8);
            byte[] rest = events.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            if (fault == Fault.CUT_AFTER_CONTENT) {
                exchange.sendResponseHeaders(200, first.length + rest.length);
                OutputStream out = exchange.getResponseBody();
                out.write(first);
                out.flush();
                sleep(20);
                out.close(); // fewer bytes than declared: the connection is cut after the content
                return;
            }
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(first);
                out.flush();
                sleep(20);
                out.write(rest);
            }
        }

        private static String chunk(String delta, String finish) {
            return "data: {\"id\":\"chatcmpl-soak\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":"
                    + "\"soak-model\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish
                    + "}]}\n\n";
        }

        private static void send(HttpExchange exchange, int status, String json) throws IOException {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
