package dev.junction.routing;

import dev.junction.config.ChannelConfig;
import dev.junction.config.FailoverConfig;
import dev.junction.config.RoutingConfig;
import dev.junction.core.Needs;
import dev.junction.core.Clock;
import dev.junction.state.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Holds the current {@link RoutingSnapshot} and swaps in new ones atomically. Readers take
 * {@link #current()} once per request (the convenience methods below each do exactly that), so
 * a request in flight finishes on the snapshot it started with while the next one sees the new
 * tables. Routing state lives in {@link State}, keyed by stable ids, and therefore survives a
 * swap for every channel and key whose id stays the same.
 */
public final class Router implements Supplier<RoutingSnapshot> {

    private final State state;
    private final RandomGenerator random;
    private final Clock clock;
    private final AtomicReference<RoutingSnapshot> current = new AtomicReference<>();
    private final java.util.concurrent.ConcurrentHashMap<Long, ChannelLoad> loads =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final Affinity affinity;
    private volatile FailoverConfig failover;
    private volatile RoutingConfig routing = RoutingConfig.DEFAULT;
    private volatile ModelFacts facts = ModelFacts.ASSUMED;

    private Router(State state, FailoverConfig failover, RandomGenerator random, Clock clock) {
        this.state = state;
        this.failover = failover;
        this.random = random;
        this.clock = clock;
        this.affinity = new Affinity(clock::nanoTime);
    }

    /**
     * A router over {@code channels}; {@code state} keeps what routing remembers, {@code random}
     * decides weighted order (and random key choice), {@code clock} times cooldowns and circuits.
     */
    public static Router create(List<DeclaredChannel> channels, FailoverConfig failover, State state,
            RandomGenerator random, Clock clock) {
        return create(channels, failover, RoutingConfig.DEFAULT, ModelFacts.ASSUMED, state, random, clock);
    }

    /**
     * A router with routing rules per public model ({@code routing:}) and {@code facts} telling what
     * each channel's upstream model can serve and costs (the catalog with the channels' overrides).
     */
    public static Router create(List<DeclaredChannel> channels, FailoverConfig failover, RoutingConfig routing,
            ModelFacts facts, State state, RandomGenerator random, Clock clock) {
        Router router = new Router(Objects.requireNonNull(state, "state"), Objects.requireNonNull(failover, "failover"),
                Objects.requireNonNull(random, "random"), Objects.requireNonNull(clock, "clock"));
        router.swap(channels, failover, routing, facts);
        return router;
    }

    /**
     * A router with in-memory state over configured channels numbered 1, 2, … in file order: for
     * tests and tools that have no store to give channels their ids.
     */
    public static Router of(List<ChannelConfig> configs, FailoverConfig failover, RandomGenerator random,
            Clock clock) {
        List<DeclaredChannel> declared = new ArrayList<>();
        for (ChannelConfig config : configs) {
            declared.add(new DeclaredChannel(declared.size() + 1, config));
        }
        return create(declared, failover, State.inMemory(clock), random, clock);
    }

    /** The snapshot new requests route on. */
    public RoutingSnapshot current() {
        return current.get();
    }

    @Override
    public RoutingSnapshot get() {
        return current.get();
    }

    /**
     * Builds the next snapshot from {@code channels} and makes it current; requests already routing
     * keep the one they took. Channels and keys whose ids are unchanged keep their state.
     */
    public synchronized RoutingSnapshot swap(List<DeclaredChannel> channels) {
        return swap(channels, failover);
    }

    /** As {@link #swap(List)}, with new failover settings for outcomes reported from now on. */
    public synchronized RoutingSnapshot swap(List<DeclaredChannel> channels, FailoverConfig failover) {
        RoutingSnapshot previous = current.get();
        return swap(channels, failover, previous == null ? 0 : previous.configVersion());
    }

    /**
     * As {@link #swap(List, FailoverConfig)}, the new snapshot built from routing-config version
     * {@code configVersion} (see {@link RoutingSnapshot#configVersion()}).
     */
    public synchronized RoutingSnapshot swap(List<DeclaredChannel> channels, FailoverConfig failover,
            long configVersion) {
        return swap(channels, failover, configVersion, routing, facts);
    }

    /**
     * As {@link #swap(List, FailoverConfig)}, with new routing rules ({@code routing:}) and a new
     * source of model capabilities and prices.
     */
    public synchronized RoutingSnapshot swap(List<DeclaredChannel> channels, FailoverConfig failover,
            RoutingConfig routing, ModelFacts facts) {
        RoutingSnapshot previous = current.get();
        return swap(channels, failover, previous == null ? 0 : previous.configVersion(), routing, facts);
    }

    /** The full swap: channels, failover settings, config version, routing rules and model facts. */
    public synchronized RoutingSnapshot swap(List<DeclaredChannel> channels, FailoverConfig failover,
            long configVersion, RoutingConfig routing, ModelFacts facts) {
        this.routing = Objects.requireNonNull(routing, "routing");
        this.facts = Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(channels, "channels");
        this.failover = Objects.requireNonNull(failover, "failover");
        Outcomes outcomes = new Outcomes(state, failover, clock);
        List<Channel> built = new ArrayList<>(channels.size());
        for (DeclaredChannel declared : channels) {
            built.add(new Channel(declared.id(), declared.config(), state, outcomes, random));
        }
        RoutingSnapshot previous = current.get();
        RoutingSnapshot next = new RoutingSnapshot(previous == null ? 1 : previous.version() + 1, configVersion, built,
                random, clock, routing, facts, id -> loads.computeIfAbsent(id, k -> new ChannelLoad()), state, affinity);
        current.set(next);
        return next;
    }

    /** The failover settings of the current snapshot (a request reads them once, when it starts). */
    public FailoverConfig failover() {
        return failover;
    }

    /** Where snapshots learn what each channel's upstream model can serve and costs. */
    public ModelFacts facts() {
        return facts;
    }

    /** What routing remembers, shared by every snapshot. */
    public State state() {
        return state;
    }

    // --- each reads the current snapshot once ----------------------------------------------------------

    /** Every channel of the current snapshot, in declaration order. */
    public List<Channel> channels() {
        return current().channels();
    }

    /** A selection for {@code model} on the current snapshot; the request keeps that snapshot. */
    public Selection select(String model) {
        return current().select(model);
    }

    /** A selection for a request for {@code model} that needs {@code needs}, on the current snapshot. */
    public Selection select(String model, Needs needs) {
        return current().select(model, needs);
    }

    public Set<String> models() {
        return current().models();
    }

    public boolean serves(String model) {
        return current().serves(model);
    }

    public List<Candidate> candidates(String model) {
        return current().candidates(model);
    }
}
