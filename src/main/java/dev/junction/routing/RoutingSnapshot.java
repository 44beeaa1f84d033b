package dev.junction.routing;

import dev.junction.config.ChannelLimits;
import dev.junction.config.RoutingConfig;
import dev.junction.core.Clock;
import dev.junction.core.Needs;
import dev.junction.state.State;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Version N of the routing tables: the channels, their keys and the routes from public models to
 * them, immutable. A request reads the current snapshot once and finishes on it even when a
 * reload swaps in a new one meanwhile; what routing remembers (cooldowns, circuits, suspensions)
 * is not in here but in the shared state, keyed by channel and key ids.
 *
 * <p>Candidate order: higher priority tiers first; inside a tier, a weighted random order in which
 * each channel comes first with probability weight / (sum of the tier's weights), and so on for
 * the rest (Efraimidis–Spirakis sampling).
 */
public final class RoutingSnapshot {

    private final long version;
    private final long configVersion;
    private final List<Channel> channels;
    private final Map<Long, Channel> byId;
    private final Map<String, List<Candidate>> routes;
    private final Map<String, Pool> pools;
    private final Map<Long, ChannelQuota> quotaById;
    private final Map<Long, ChannelLoad> loadById;
    private final RoutingConfig routing;
    private final RandomGenerator random;
    private final Clock clock;
    private final Affinity affinity;
    /** Every public model requests may name: those channels serve, and complexity routers over them. */
    private final Set<String> models;

    /** What complexity routing remembers of a session that went to the hard model. */
    private static final String HARD = "complexity:hard";

    RoutingSnapshot(long version, List<Channel> channels, RandomGenerator random, Clock clock) {
        this(version, 0, channels, random, clock);
    }

    RoutingSnapshot(long version, long configVersion, List<Channel> channels, RandomGenerator random, Clock clock) {
        this(version, configVersion, channels, random, clock, RoutingConfig.DEFAULT, ModelFacts.ASSUMED,
                id -> new ChannelLoad(), null, null);
    }

    /**
     * @param loads the measurements of each channel id, kept by the router across snapshots
     * @param state where the channels' limits count; null for none
     * @param affinity the conversations' channels, kept by the router; null for none
     */
    RoutingSnapshot(long version, long configVersion, List<Channel> channels, RandomGenerator random, Clock clock,
            RoutingConfig routing, ModelFacts facts, java.util.function.LongFunction<ChannelLoad> loads, State state,
            Affinity affinity) {
        this.version = version;
        this.configVersion = configVersion;
        this.channels = List.copyOf(channels);
        this.random = random;
        this.clock = clock;
        this.routing = routing;
        this.affinity = affinity;
        Map<Long, Channel> ids = new LinkedHashMap<>();
        Map<String, List<Candidate>> table = new LinkedHashMap<>();
        for (Channel channel : channels) {
            if (ids.put(channel.id(), channel) != null) {
                throw new IllegalArgumentException("two channels share the id " + channel.id());
            }
            channel.config().models().forEach((publicName, upstream) ->
                    table.computeIfAbsent(publicName, m -> new ArrayList<>()).add(new Candidate(channel, upstream)));
        }
        table.replaceAll((model, list) -> List.copyOf(list));
        this.byId = Collections.unmodifiableMap(ids);
        this.routes = Collections.unmodifiableMap(table);
        Map<Long, ChannelQuota> quotas = new LinkedHashMap<>();
        Map<String, Pool> built = new LinkedHashMap<>();
        table.forEach((model, list) -> {
            List<ModelTraits> traits = new ArrayList<>(list.size());
            List<ChannelLoad> channelLoads = new ArrayList<>(list.size());
            List<ChannelQuota> channelQuotas = new ArrayList<>(list.size());
            for (Candidate candidate : list) {
                Channel channel = candidate.channel();
                traits.add(facts.traits(channel.config(), candidate.upstreamModel()));
                ChannelLoad load = loads.apply(channel.id());
                channelLoads.add(load);
                ChannelLimits limits = channel.config().limits();
                channelQuotas.add(state == null || !limits.any() ? null : quotas.computeIfAbsent(channel.id(),
                        id -> new ChannelQuota(limits, channel.subject(), state.counters(), load)));
            }
            built.put(model, new Pool(model, routing.of(model), list, traits, channelLoads, channelQuotas));
        });
        this.pools = Collections.unmodifiableMap(built);
        this.quotaById = Collections.unmodifiableMap(quotas);
        Map<Long, ChannelLoad> channelLoads = new LinkedHashMap<>();
        ids.keySet().forEach(id -> channelLoads.put(id, loads.apply(id)));
        this.loadById = Collections.unmodifiableMap(channelLoads);
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>(table.keySet());
        routing.models().forEach((model, rules) -> rules.complexity().ifPresent(c -> {
            if (table.containsKey(c.simple()) || table.containsKey(c.hard())) {
                names.add(model);
            }
        }));
        this.models = Collections.unmodifiableSet(names);
    }

    /** How {@code model} routes: strategy, fallbacks, affinity. */
    public RoutingConfig.ModelRouting routing(String model) {
        return routing.of(model);
    }

    /** Which snapshot this is: 1 for the first, one more on every swap. */
    public long version() {
        return version;
    }

    /**
     * The routing-config version (a row of {@code config_versions}: number, time, who, diff) these
     * tables were built from; 0 when none was recorded. Usage records carry it.
     */
    public long configVersion() {
        return configVersion;
    }

    /** Every channel, in declaration order. */
    public List<Channel> channels() {
        return channels;
    }

    /** The channel with stable id {@code id}. */
    public Optional<Channel> channel(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The live state of channel {@code id} ({@link ChannelLive}); empty when this snapshot routes no such channel. */
    public Optional<ChannelLive> live(long id) {
        Channel channel = byId.get(id);
        return channel == null ? Optional.empty()
                : Optional.of(ChannelLive.of(channel, quotaById.get(id), loadById.get(id), clock.now()));
    }

    /** The first channel labelled {@code name}. */
    public Optional<Channel> channelNamed(String name) {
        for (Channel channel : channels) {
            if (channel.name().equals(name)) {
                return Optional.of(channel);
            }
        }
        return Optional.empty();
    }

    /** The channels a request for {@code model} may try, in order, with per-request memory of failures. */
    public Selection select(String model) {
        return select(model, Needs.NONE);
    }

    /**
     * The channels a request for {@code model} that needs {@code needs} may try: those whose model
     * cannot serve it are dropped, the rest are offered in the model's strategy's order.
     */
    public Selection select(String model, Needs needs) {
        RoutingConfig.ModelRouting rules = routing.of(model);
        if (rules.complexity().isPresent()) {
            return routed(model, rules, needs);
        }
        Pool pool = pools.get(model);
        return new Selection(pool == null ? EMPTY : pool, needs, clock, random, affinity);
    }

    /**
     * Complexity routing: the classifier picks the simple or the hard model for {@code model}, and the
     * request routes on that one's channels. A simple request falls back to the hard model (never the
     * other way); then to the target's and the router's own {@code fallbacks:}. With a session id, a
     * conversation that went hard once stays hard (remembered for {@code affinity_ttl}).
     */
    private Selection routed(String model, RoutingConfig.ModelRouting rules, Needs needs) {
        RoutingConfig.Complexity complexity = rules.complexity().orElseThrow();
        ComplexityRules.Verdict verdict = ComplexityRules.classify(needs, complexity);
        String session = needs.session();
        if (affinity != null && session != null) {
            if (!verdict.hard()) {
                Affinity.Sticky sticky = affinity.get(model, session);
                if (sticky != null && HARD.equals(sticky.key())) {
                    verdict = ComplexityRules.staysHard(verdict, complexity);
                }
            }
            if (verdict.hard()) {
                affinity.put(model, session, new Affinity.Sticky(-1, HARD, rules.affinityTtl()));
            }
        }
        Pool pool = pools.get(verdict.target());
        Selection selection = new Selection(pool == null ? EMPTY : pool, needs, clock, random, affinity);
        java.util.LinkedHashSet<String> chain = new java.util.LinkedHashSet<>(routing.of(verdict.target()).fallbacks());
        if (!verdict.hard()) {
            chain.add(complexity.hard());
        }
        chain.addAll(rules.fallbacks());
        chain.remove(verdict.target());
        chain.remove(model);
        selection.routed(model, verdict, List.copyOf(chain));
        return selection;
    }

    /**
     * What complexity routing would decide for a request for {@code model} that needs {@code needs}
     * (no session memory is read or written); empty when {@code model} is not a complexity router.
     */
    public Optional<ComplexityRules.Verdict> complexity(String model, Needs needs) {
        return routing.of(model).complexity().map(c -> ComplexityRules.classify(needs, c));
    }

    /**
     * Whether a request for {@code model} needs its {@link Needs} scanned: false when every channel of
     * the model serves everything with no known limit and nothing else reads them, so the scan of the
     * body can be skipped.
     */
    public boolean wantsNeeds(String model) {
        if (routing.of(model).complexity().isPresent()) {
            return true;
        }
        Pool pool = pools.get(model);
        return pool != null && pool.wantsNeeds;
    }

    private static final Pool EMPTY = new Pool("", RoutingConfig.ModelRouting.DEFAULT, List.of(), List.of(),
            List.of(), List.of());

    /**
     * Why each channel of {@code model} would or would not be tried now for a request that needs
     * {@code needs}: the candidates in the strategy's order (ties as the configuration ranks them),
     * then the excluded ones with their reason. Reads state; takes nothing.
     */
    public List<Explained> explain(String model, Needs needs) {
        Pool pool = pools.get(model);
        if (pool == null) {
            return List.of();
        }
        Instant now = clock.now();
        List<Explained> included = new ArrayList<>();
        List<Explained> excluded = new ArrayList<>();
        for (int i = 0; i < pool.size; i++) {
            Channel channel = pool.channels[i];
            ModelTraits traits = pool.traits[i];
            String upstream = pool.candidates[i].upstreamModel();
            String why = Selection.why(traits, needs);
            String reason;
            String detail = "";
            Instant until = null;
            if (!why.isEmpty()) {
                reason = "capability";
                detail = why;
            } else if (!channel.healthy()) {
                reason = "disabled";
                detail = "health check failing";
            } else if (channel.usableKey(java.util.Set.of(), upstream, now) == null) {
                boolean allDisabled = channel.keys().stream().allMatch(KeyState::disabled);
                reason = allDisabled ? "disabled" : "cooling";
                until = allDisabled ? null : channel.soonestKey(java.util.Set.of(), upstream).coolUntil(upstream);
                detail = allDisabled ? "every key disabled" : "every key resting until " + until;
            } else if (channel.availableAt(upstream, now).isAfter(now)) {
                reason = "breaker";
                until = channel.availableAt(upstream, now);
                detail = "circuit " + channel.circuit(upstream) + " until " + until;
            } else if (pool.quotas[i] != null && pool.quotas[i].peek(Math.max(1, needs.promptTokens()),
                    traits.reserveCost(needs, Math.max(1, needs.promptTokens())), now) != null) {
                ChannelQuota.Check check = pool.quotas[i].peek(Math.max(1, needs.promptTokens()),
                        traits.reserveCost(needs, Math.max(1, needs.promptTokens())), now);
                reason = "limit";
                until = check.freeAt();
                detail = check.limit() + " reached until " + until;
            } else {
                reason = "";
            }
            Explained entry = new Explained(channel.name(), channel.id(), upstream, pool.priority[i], pool.weight[i],
                    reason.isEmpty(), reason, detail, !traits.known(), traits, pool.loads[i].inFlight.get(),
                    pool.loads[i].ttftMillis(), pool.loads[i].tokensPerSecond(), pool.loads[i].remainingShare(), until,
                    traits.quote(needs));
            (reason.isEmpty() ? included : excluded).add(entry);
        }
        included.sort(order(pool, needs));
        List<Explained> all = new ArrayList<>(included);
        all.addAll(excluded);
        return all;
    }

    /** The strategy's order without randomness, for the explain view. */
    private static java.util.Comparator<Explained> order(Pool pool, Needs needs) {
        java.util.Comparator<Explained> tier = java.util.Comparator.comparingInt(e -> -e.priority());
        java.util.Comparator<Explained> byWeight = java.util.Comparator.comparingInt(e -> -e.weight());
        return switch (pool.routing.strategy()) {
            case WEIGHTED, PRIORITY -> tier.thenComparing(byWeight);
            case CHEAPEST -> tier.thenComparingDouble((Explained e) -> e.quote().micros()).thenComparing(byWeight);
            case FASTEST -> tier.thenComparingDouble(e -> e.ttftMillis());
            case LEAST_BUSY -> tier.thenComparingInt(Explained::inFlight);
            case QUOTA_BALANCED -> tier.thenComparingDouble(e -> -e.remainingShare());
        };
    }

    /**
     * One channel of a model as the explain view shows it.
     *
     * @param candidate whether it would be tried now
     * @param reason why not: capability, disabled, cooling, breaker, limit; empty for a candidate
     * @param assumed whether its model is unknown to the catalog and the config, so assumed capable
     * @param until when a cooling, breaker or limit exclusion ends; null for none
     * @param quote the request's estimated cost there and the price it is estimated by (what
     *     {@code cheapest} compares)
     */
    public record Explained(String channel, long id, String upstreamModel, int priority, int weight,
            boolean candidate, String reason, String detail, boolean assumed, ModelTraits traits, int inFlight,
            double ttftMillis, double tokensPerSecond, double remainingShare, Instant until,
            ModelTraits.Quote quote) {
    }

    /** Every public model name some channel serves, in declaration order. */
    public Set<String> models() {
        return models;
    }

    /** Whether requests may name {@code model}: a channel serves it, or it routes by complexity to one that does. */
    public boolean serves(String model) {
        return models.contains(model);
    }

    /** The channels to try for {@code model}, best first; empty when no channel serves it. */
    public List<Candidate> candidates(String model) {
        List<Candidate> all = routes.containsKey(model) || !models.contains(model) ? routes.get(model)
                : routing.of(model).complexity().map(c -> routes.getOrDefault(c.simple(), routes.get(c.hard())))
                        .orElse(null);
        if (all == null) {
            return List.of();
        }
        int n = all.size();
        if (n == 1) {
            return all;
        }
        // Sort by (priority desc, key asc) with key = -ln(U)/weight: the smallest key of a tier is
        // its weighted random pick, the next smallest the pick among the rest, and so on.
        double[] keys = new double[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            double u = 1.0 - random.nextDouble(); // (0, 1]
            keys[i] = -Math.log(u) / all.get(i).channel().config().weight();
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingInt(i -> -all.get(i).channel().config().priority())
                .thenComparingDouble(i -> keys[i]));
        List<Candidate> candidates = new ArrayList<>(n);
        for (int i : order) {
            candidates.add(all.get(i));
        }
        return candidates;
    }

    @Override
    public String toString() {
        return "RoutingSnapshot[version=" + version + ", configVersion=" + configVersion + ", channels=" + channels + "]";
    }
}
