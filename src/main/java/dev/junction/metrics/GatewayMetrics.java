package dev.junction.metrics;

import dev.junction.core.Attempt;
import dev.junction.core.EndReason;
import dev.junction.core.ErrorKind;
import dev.junction.core.TokenUsage;
import dev.junction.usage.RequestEnd;
import dev.junction.usage.RequestObserver;
import dev.junction.usage.UsageRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The gateway's Prometheus metrics (README, "Metrics"): told of every request's end by admission,
 * it counts requests, errors, tokens and failovers and times the upstreams and the gateway itself;
 * at each scrape it reads the channels' state, the usage queue and the JVM.
 *
 * <p>Labels are bounded: {@code model} takes the public models the gateway serves (at most
 * {@value #LABEL_CAP} of them; anything else is {@code other}), {@code channel} the configured
 * channels, {@code key} (only with {@code per_key}) key names, the rest small fixed sets. Recording
 * is cheap: each series' meter is resolved once and cached by its label values, so a request costs
 * a few map lookups and adder increments, no string building.
 */
public final class GatewayMetrics implements RequestObserver, AutoCloseable {

    /** The Prometheus text exposition format, version 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Most distinct values a bounded label ({@code model}, {@code channel}, {@code key}) takes. */
    static final int LABEL_CAP = 500;

    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    private static final String[] TOKEN_TYPES = {"input", "output", "cached_read", "cache_write", "reasoning"};
    private static final Duration[] OVERHEAD_BUCKETS = millis(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500);
    private static final Duration[] UPSTREAM_BUCKETS = millis(100, 250, 500, 1000, 2500, 5000, 10_000, 30_000,
            60_000, 120_000, 300_000);
    private static final Duration[] FIRST_TOKEN_BUCKETS = millis(100, 250, 500, 1000, 2000, 5000, 10_000, 20_000,
            30_000, 60_000);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final boolean perKey;
    private final BoundedLabels models;
    private final BoundedLabels channels = new BoundedLabels(LABEL_CAP, name -> true);
    private final BoundedLabels keys = new BoundedLabels(LABEL_CAP, name -> true);
    private final ChannelStates states;
    private final List<AutoCloseable> binders = new ArrayList<>();
    private final MultiGauge channelHealthy;
    private final MultiGauge channelCircuit;
    private final MultiGauge channelKeys;
    /** What the gauges read: meters hold their objects weakly, so these keep them alive. */
    private final List<Object> gaugeSources = new ArrayList<>();
    private List<Object> channelRows = List.of();

    private final ConcurrentHashMap<RequestSeries, Counter> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> errors = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TokenSeries, Counter[]> tokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TokenSeries, Counter[]> cost = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<AttemptSeries, Timer> upstream = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> failovers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> firstToken = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> overhead = new ConcurrentHashMap<>();

    private record RequestSeries(String api, String model, String statusClass, EndReason end, String key) {
    }

    private record TokenSeries(String model, String channel, String key) {
    }

    private record AttemptSeries(String channel, String result) {
    }

    private GatewayMetrics(Builder builder) {
        renameProcessorMeters(); // before any meter is registered, as Micrometer requires of filters
        this.perKey = builder.perKey;
        this.models = new BoundedLabels(LABEL_CAP, builder.knownModels);
        this.states = builder.states;
        channelHealthy = MultiGauge.builder("junction.channel.healthy")
                .description("1 while the channel's health check passes, 0 while it fails").register(registry);
        channelCircuit = MultiGauge.builder("junction.channel.circuit")
                .description("The channel's circuit breaker: 1 for its current state (closed, open, half_open), "
                        + "0 for the others")
                .register(registry);
        channelKeys = MultiGauge.builder("junction.channel.keys")
                .description("The channel's provider keys by state: usable, cooling (resting after a rate limit), "
                        + "disabled (refused by the provider until a probe succeeds)")
                .register(registry);
        if (builder.queueDepth != null) {
            IntSupplier depth = builder.queueDepth;
            LongSupplier dropped = builder.queueDropped;
            int capacity = builder.queueCapacity;
            gaugeSources.add(depth);
            gaugeSources.add(dropped);
            Gauge.builder("junction.usage.queue.depth", depth, IntSupplier::getAsInt).strongReference(true)
                    .description("Usage records waiting to be written to the database").register(registry);
            Gauge.builder("junction.usage.queue.capacity", () -> capacity).strongReference(true)
                    .description("Usage records the queue holds before new ones are dropped").register(registry);
            FunctionCounter.builder("junction.usage.dropped", dropped, LongSupplier::getAsLong)
                    .description("Usage records dropped because the queue was full").register(registry);
        }
        if (builder.redisUp != null) {
            BooleanSupplier redisUp = builder.redisUp;
            IntSupplier instances = builder.instances;
            LongSupplier fallbacks = builder.fallbacks;
            gaugeSources.add(redisUp);
            gaugeSources.add(instances);
            gaugeSources.add(fallbacks);
            Gauge.builder("junction.redis.up", redisUp, up -> up.getAsBoolean() ? 1 : 0).strongReference(true)
                    .description("1 while Redis answers (shared state), 0 while the instance serves with local "
                            + "state and divided limits")
                    .register(registry);
            Gauge.builder("junction.instances", instances, IntSupplier::getAsInt).strongReference(true)
                    .description("Gateway instances alive by their Redis heartbeats (the last known count while "
                            + "Redis is down)")
                    .register(registry);
            FunctionCounter.builder("junction.redis.fallbacks", fallbacks, LongSupplier::getAsLong)
                    .description("Shared-state operations served by local state because Redis was down or failed")
                    .register(registry);
        }
        if (builder.jvm) {
            bindProcessCpu();
            new JvmMemoryMetrics().bindTo(registry);
            JvmGcMetrics gc = new JvmGcMetrics();
            gc.bindTo(registry);
            binders.add(gc);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new JvmInfoMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Micrometer's processor binder names two meters against Prometheus' rules ({@code promtool check
     * metrics} rejects them): CPU time in nanoseconds ({@code process_cpu_time_ns_total}, an
     * abbreviated unit) is replaced by Prometheus' usual {@code process_cpu_seconds_total} (see
     * {@link #bindProcessCpu}), and {@code system_cpu_count} (a {@code _count} suffix on a gauge) is
     * named {@code system_cpu_cores}.
     */
    private void renameProcessorMeters() {
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.cores") : id;
            }
        });
    }

    private void bindProcessCpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9).baseUnit("seconds")
                    .description("CPU time used by the gateway's process").register(registry);
        }
    }

    /** What to measure besides requests. */
    public static final class Builder {
        private boolean perKey;
        private Predicate<String> knownModels = model -> true;
        private ChannelStates states = ChannelStates.NONE;
        private IntSupplier queueDepth;
        private int queueCapacity;
        private LongSupplier queueDropped;
        private boolean jvm = true;
        private BooleanSupplier redisUp;
        private IntSupplier instances;
        private LongSupplier fallbacks;

        private Builder() {
        }

        /** Adds a {@code key} label (the key's name) to request and token series. */
        public Builder perKey(boolean on) {
            this.perKey = on;
            return this;
        }

        /** The public models that get their own {@code model} label; others count as {@code other}. */
        public Builder knownModels(Predicate<String> known) {
            this.knownModels = Objects.requireNonNull(known, "known");
            return this;
        }

        /** Read at each scrape for the channel gauges. */
        public Builder channels(ChannelStates channelStates) {
            this.states = Objects.requireNonNull(channelStates, "channelStates");
            return this;
        }

        /** The usage writer's queue: records waiting, its capacity, records dropped so far. */
        public Builder usageQueue(IntSupplier depth, int capacity, LongSupplier dropped) {
            this.queueDepth = Objects.requireNonNull(depth, "depth");
            this.queueCapacity = capacity;
            this.queueDropped = Objects.requireNonNull(dropped, "dropped");
            return this;
        }

        /** Shared state: whether Redis answers, the live instances, operations served locally instead. */
        public Builder redis(BooleanSupplier up, IntSupplier liveInstances, LongSupplier localFallbacks) {
            this.redisUp = Objects.requireNonNull(up, "up");
            this.instances = Objects.requireNonNull(liveInstances, "liveInstances");
            this.fallbacks = Objects.requireNonNull(localFallbacks, "localFallbacks");
            return this;
        }

        /** Whether the JVM and process meters (memory, GC, threads, CPU, files) are included; on by default. */
        public Builder jvm(boolean on) {
            this.jvm = on;
            return this;
        }

        public GatewayMetrics build() {
            return new GatewayMetrics(this);
        }
    }

    @Override
    public void onEnd(RequestEnd end) {
        UsageRecord r = end.record();
        String api = ClientApi.of(end.path()).label();
        String model = models.of(r.publicModel());
        String key = perKey ? keys.of(r.keyName()) : null;
        meter(requests, new RequestSeries(api, model, statusClass(r.status()), r.endReason(), key), this::requests)
                .increment();
        String kind = errorKind(end);
        if (kind != null) {
            meter(errors, kind, this::errors).increment();
        }
        List<Attempt> attempts = r.attempts();
        long upstreamMillis = 0;
        String previous = null;
        for (int i = 0, n = attempts.size(); i < n; i++) {
            Attempt attempt = attempts.get(i);
            String channel = channels.of(attempt.channel());
            upstreamMillis += attempt.millis();
            meter(upstream, new AttemptSeries(channel, result(attempt)), this::upstream)
                    .record(attempt.millis(), TimeUnit.MILLISECONDS);
            if (previous != null) {
                meter(failovers, previous, this::failovers).increment();
            }
            previous = channel;
        }
        if (!attempts.isEmpty() && end.admittedNanos() >= 0) {
            meter(overhead, api, this::overhead).record(overheadNanos(end, upstreamMillis), TimeUnit.NANOSECONDS);
        }
        String channel = r.channel() == null ? null : channels.of(r.channel());
        if (r.stream() && r.firstByteMillis() >= 0 && channel != null) {
            meter(firstToken, channel, this::firstToken).record(r.firstByteMillis(), TimeUnit.MILLISECONDS);
        }
        TokenUsage t = r.tokens();
        if (t.input() != 0 || t.output() != 0) {
            Counter[] counters = meter(tokens, new TokenSeries(model, channel == null ? BoundedLabels.NONE : channel,
                    key), this::tokens);
            add(counters[0], t.input());
            add(counters[1], t.output());
            add(counters[2], t.cacheRead());
            add(counters[3], t.cacheWrite());
            add(counters[4], t.reasoning());
        }
        if (channel != null) {
            Counter[] spent = meter(cost, new TokenSeries(model, channel, key), this::cost);
            if (r.costMicros() == null) {
                spent[1].increment();
            } else if (r.costMicros() > 0) {
                spent[0].increment(r.costMicros() / 1_000_000.0);
            }
        }
    }

    /**
     * The time the gateway itself spent on a relayed request, before its answer reached the client:
     * from arrival to admission (key, body, checks), plus the relay's time to the first byte sent
     * (to the end when nothing was sent) less the time every attempt spent on its upstream. It
     * includes routing, encoding and decoding, failover bookkeeping and back-off between attempts;
     * the relay's timings are whole milliseconds, so below a millisecond it is approximate.
     */
    static long overheadNanos(RequestEnd end, long upstreamMillis) {
        UsageRecord r = end.record();
        long relayNanos = r.firstByteMillis() >= 0 ? TimeUnit.MILLISECONDS.toNanos(r.firstByteMillis())
                : end.elapsedNanos() - end.admittedNanos();
        return Math.max(0, end.admittedNanos() + relayNanos - TimeUnit.MILLISECONDS.toNanos(upstreamMillis));
    }

    /**
     * What went wrong, or null: a refusal by its kind ({@code authentication}, {@code not_found},
     * {@code rate_limited}, …, {@code internal} for a crash); a relayed request that every channel
     * failed by the status the client got ({@code upstream_unavailable}, {@code upstream_timeout},
     * {@code upstream_invalid}); a stream that broke by how ({@code upstream_cut},
     * {@code idle_timeout}, {@code upstream_error}); {@code upstream_rejected} when the provider
     * refused the request itself; {@code shutdown}.
     */
    static String errorKind(RequestEnd end) {
        if (end.refusal() != null) {
            return label(end.refusal());
        }
        UsageRecord r = end.record();
        return switch (r.endReason()) {
            case DONE, CONTINUED, TAIL_MISSING, REJECTED, CLIENT_GONE -> null;
            case FAILED -> {
                for (ErrorKind kind : ErrorKind.values()) {
                    if (kind.status() == r.status()) {
                        yield label(kind);
                    }
                }
                yield "failed";
            }
            case UPSTREAM_REJECTED, UPSTREAM_CUT, IDLE_TIMEOUT, UPSTREAM_ERROR, SHUTDOWN -> r.endReason().recordName();
        };
    }

    private static String label(ErrorKind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** An attempt's result: {@code ok}, {@code rate_limited}, {@code client_error}, {@code server_error}, {@code error}. */
    static String result(Attempt attempt) {
        if (attempt.outcome().equals("ok")) {
            return "ok";
        }
        int status = attempt.status();
        if (status == 429) {
            return "rate_limited";
        }
        if (status >= 400 && status < 500) {
            return "client_error";
        }
        if (status >= 500 && status < 600) {
            return "server_error";
        }
        return "error"; // no answer (network, timeout) or an unreadable one
    }

    static String statusClass(int status) {
        return status >= 100 && status < 600 ? STATUS_CLASSES[status / 100 - 1] : "other";
    }

    /**
     * Counts a key, user or team passing 80 % of a limit or budget ({@code level}: key, user, team;
     * {@code limit}: rpm, tpm, concurrent, budget), for alerts.
     */
    public void quotaSoftThreshold(String level, String limit) {
        Counter.builder("junction.quota.soft_threshold")
                .description("Times a key, user or team passed 80 % of a limit or budget in a window")
                .tags("level", level, "limit", limit).register(registry).increment();
    }

    private static void add(Counter counter, long amount) {
        if (amount != 0) {
            counter.increment(amount);
        }
    }

    private static <K, M> M meter(ConcurrentHashMap<K, M> cache, K key, Function<K, M> make) {
        M meter = cache.get(key);
        return meter != null ? meter : cache.computeIfAbsent(key, make);
    }

    private Counter requests(RequestSeries s) {
        Tags tags = Tags.of("api", s.api(), "model", s.model(), "status_class", s.statusClass(),
                "end_reason", s.end().recordName());
        return Counter.builder("junction.requests")
                .description("Requests by client API, public model, status class and how they ended")
                .tags(s.key() == null ? tags : tags.and("key", s.key())).register(registry);
    }

    private Counter errors(String kind) {
        return Counter.builder("junction.errors")
                .description("Requests that ended in an error, by kind").tag("kind", kind).register(registry);
    }

    private Counter[] tokens(TokenSeries s) {
        Tags tags = Tags.of("model", s.model(), "channel", s.channel());
        if (s.key() != null) {
            tags = tags.and("key", s.key());
        }
        Counter[] counters = new Counter[TOKEN_TYPES.length];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = Counter.builder("junction.tokens")
                    .description("Tokens by type (input and output are totals; cached_read and cache_write are "
                            + "part of input, reasoning part of output), public model and serving channel")
                    .tags(tags.and("type", TOKEN_TYPES[i])).register(registry);
        }
        return counters;
    }

    /** The cost in US dollars, and the requests whose cost is unknown, by public model and serving channel. */
    private Counter[] cost(TokenSeries s) {
        Tags tags = Tags.of("model", s.model(), "channel", s.channel());
        if (s.key() != null) {
            tags = tags.and("key", s.key());
        }
        return new Counter[] {
            Counter.builder("junction.cost").baseUnit("usd")
                    .description("Cost of the served requests at the upstream model's price (catalog or channel "
                            + "prices:), in US dollars, by public model and serving channel")
                    .tags(tags).register(registry),
            Counter.builder("junction.cost.unknown.requests")
                    .description("Served requests whose cost is unknown (no price for the upstream model)")
                    .tags(tags).register(registry)};
    }

    private Timer upstream(AttemptSeries s) {
        return Timer.builder("junction.upstream.duration")
                .description("Time one attempt spent on its upstream: until the answer (non-stream) or its first "
                        + "content (stream), or until it failed; by channel and result")
                .tags("channel", s.channel(), "result", s.result())
                .serviceLevelObjectives(UPSTREAM_BUCKETS).register(registry);
    }

    private Counter failovers(String channel) {
        return Counter.builder("junction.failovers")
                .description("Attempts after the first: each counts against the channel whose attempt failed "
                        + "just before it")
                .tag("channel", channel).register(registry);
    }

    private Timer firstToken(String channel) {
        return Timer.builder("junction.time.to.first.token")
                .description("Streamed answers: time from the relay's start to the first byte sent to the client, "
                        + "by serving channel")
                .tag("channel", channel).serviceLevelObjectives(FIRST_TOKEN_BUCKETS).register(registry);
    }

    private Timer overhead(String api) {
        return Timer.builder("junction.gateway.overhead")
                .description("Time the gateway itself spent on a relayed request before its answer reached the "
                        + "client (admission plus the relay's time to first byte, less upstream time), by client API")
                .tag("api", api).serviceLevelObjectives(OVERHEAD_BUCKETS).register(registry);
    }

    /** The metrics now, in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public synchronized String scrape() {
        refreshChannels();
        return registry.scrape(CONTENT_TYPE);
    }

    private void refreshChannels() {
        List<ChannelState> now = states.now();
        List<MultiGauge.Row<?>> healthy = new ArrayList<>(now.size());
        List<MultiGauge.Row<?>> circuit = new ArrayList<>(now.size() * 3);
        List<MultiGauge.Row<?>> keyRows = new ArrayList<>(now.size() * 3);
        for (ChannelState s : now) {
            String channel = channels.of(s.channel());
            healthy.add(MultiGauge.Row.of(Tags.of("channel", channel), s.healthy() ? 1 : 0));
            for (ChannelState.Circuit c : ChannelState.Circuit.values()) {
                circuit.add(MultiGauge.Row.of(Tags.of("channel", channel, "state", c.label()),
                        c == s.circuit() ? 1 : 0));
            }
            keyRows.add(MultiGauge.Row.of(Tags.of("channel", channel, "state", "usable"), s.keysUsable()));
            keyRows.add(MultiGauge.Row.of(Tags.of("channel", channel, "state", "cooling"), s.keysCooling()));
            keyRows.add(MultiGauge.Row.of(Tags.of("channel", channel, "state", "disabled"), s.keysDisabled()));
        }
        channelRows = List.of(healthy, circuit, keyRows);
        channelHealthy.register(healthy, true);
        channelCircuit.register(circuit, true);
        channelKeys.register(keyRows, true);
    }

    private static Duration[] millis(long... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofMillis(values[i]);
        }
        return durations;
    }

    @Override
    public void close() {
        for (AutoCloseable binder : binders) {
            try {
                binder.close();
            } catch (Exception e) {
                // a binder that cannot unregister its listeners leaves nothing else to clean
            }
        }
        registry.close();
    }
}
