package dev.junction.routing;

import dev.junction.config.ChannelConfig;
import dev.junction.config.FailoverConfig;
import dev.junction.core.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Maps a public model to the ordered list of channels to try: higher priority tiers first; inside
 * a tier, a weighted random order in which each channel comes first with probability
 * weight / (sum of the tier's weights), and so on for the rest (Efraimidis–Spirakis sampling).
 */
public final class Router {

    private final Map<String, List<Route>> routes;
    private final List<Channel> channels;
    private final RandomGenerator random;
    private final Clock clock;

    private record Route(Channel channel, String upstreamModel) {
    }

    private Router(Map<String, List<Route>> routes, List<Channel> channels, RandomGenerator random, Clock clock) {
        this.routes = routes;
        this.channels = channels;
        this.random = random;
        this.clock = clock;
    }

    /**
     * A router over the configured channels; {@code random} decides weighted order (and random key
     * choice), {@code clock} times cooldowns and circuit breakers.
     */
    public static Router of(List<ChannelConfig> configs, FailoverConfig failover, RandomGenerator random,
            Clock clock) {
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(clock, "clock");
        Map<String, List<Route>> routes = new LinkedHashMap<>();
        List<Channel> channels = new ArrayList<>();
        for (ChannelConfig config : configs) {
            Channel channel = new Channel(config, failover, random);
            channels.add(channel);
            config.models().forEach((publicName, upstream) ->
                    routes.computeIfAbsent(publicName, m -> new ArrayList<>()).add(new Route(channel, upstream)));
        }
        routes.replaceAll((model, list) -> List.copyOf(list));
        return new Router(Collections.unmodifiableMap(routes), List.copyOf(channels), random, clock);
    }

    /** Every channel, in config order. */
    public List<Channel> channels() {
        return channels;
    }

    /** The channels a request for {@code model} may try, in order, with per-request memory of failures. */
    public Selection select(String model) {
        return new Selection(candidates(model), clock);
    }

    /** Every public model name some channel serves, in config order. */
    public Set<String> models() {
        return routes.keySet();
    }

    public boolean serves(String model) {
        return routes.containsKey(model);
    }

    /** The channels to try for {@code model}, best first; empty when no channel serves it. */
    public List<Candidate> candidates(String model) {
        List<Route> all = routes.get(model);
        if (all == null) {
            return List.of();
        }
        int n = all.size();
        if (n == 1) {
            Route only = all.getFirst();
            return List.of(new Candidate(only.channel(), only.upstreamModel()));
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
            Route route = all.get(i);
            candidates.add(new Candidate(route.channel(), route.upstreamModel()));
        }
        return candidates;
    }
}
