package dev.junction.routing;

import dev.junction.core.Clock;
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
    private final RandomGenerator random;
    private final Clock clock;

    RoutingSnapshot(long version, List<Channel> channels, RandomGenerator random, Clock clock) {
        this(version, 0, channels, random, clock);
    }

    RoutingSnapshot(long version, long configVersion, List<Channel> channels, RandomGenerator random, Clock clock) {
        this.version = version;
        this.configVersion = configVersion;
        this.channels = List.copyOf(channels);
        this.random = random;
        this.clock = clock;
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
        return new Selection(candidates(model), clock);
    }

    /** Every public model name some channel serves, in declaration order. */
    public Set<String> models() {
        return routes.keySet();
    }

    public boolean serves(String model) {
        return routes.containsKey(model);
    }

    /** The channels to try for {@code model}, best first; empty when no channel serves it. */
    public List<Candidate> candidates(String model) {
        List<Candidate> all = routes.get(model);
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
