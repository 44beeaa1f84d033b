package dev.junction.bench;

import dev.junction.config.ChannelConfig;
import dev.junction.config.ChannelLimits;
import dev.junction.config.FailoverConfig;
import dev.junction.config.RoutingConfig;
import dev.junction.core.ChannelType;
import dev.junction.core.Clock;
import dev.junction.core.Needs;
import dev.junction.core.TokenUsage;
import dev.junction.protocol.NeedsScan;
import dev.junction.routing.DeclaredChannel;
import dev.junction.routing.ModelFacts;
import dev.junction.routing.ModelTraits;
import dev.junction.routing.Pick;
import dev.junction.routing.Router;
import dev.junction.routing.Selection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Routing one request over a pool of 50 channels (issue 15's target: under 5 µs for candidate
 * filtering and every strategy): {@code route} builds the request's selection on the snapshot
 * (capability filter over the precomputed masks), takes the strategy's first pick (with its health,
 * key, circuit and limit checks) and settles its reservation, as the relay does. Half the channels
 * lack tools, a fifth have a 128k window, prices differ; the request uses tools and a 20k-token
 * prompt. {@code limits} puts an rpm and a tokens-per-day limit on every channel (the in-memory
 * counters). {@code filterOnly} is the selection without a pick; {@code scan} is the one pass over a
 * 4 KB body that finds the request's needs; {@code sortAll} the old full weighted sort, as a reference.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RoutingBench {

    @Param({"WEIGHTED", "PRIORITY", "CHEAPEST", "FASTEST", "LEAST_BUSY", "QUOTA_BALANCED"})
    public RoutingConfig.Strategy strategy;

    @Param({"false", "true"})
    public boolean limits;

    private Router router;
    private Needs needs;
    /** Two HD images: {@code cheapest} compares the channels' per-image prices (each quoted once per request). */
    private Needs imageNeeds;
    private byte[] body;

    @Setup
    public void setUp() {
        List<DeclaredChannel> channels = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ChannelConfig config = ChannelConfig.builder("c" + i, ChannelType.OPENAI, URI.create("http://c" + i + "/v1"))
                    .apiKeys("sk-key-" + i + "-a", "sk-key-" + i + "-b")
                    .models(Map.of("m", "up-" + i))
                    .weight(1 + i % 5)
                    .priority(i % 10 == 0 ? 1 : 0)
                    .limits(limits ? new ChannelLimits(1_000_000_000L, 0, 0, Long.MAX_VALUE / 4, 0, 0)
                            : ChannelLimits.NONE)
                    .build();
            channels.add(new DeclaredChannel(i + 1, config));
        }
        ModelFacts facts = (channel, upstream) -> {
            int i = Integer.parseInt(upstream.substring(3));
            int mask = i % 2 == 0 ? ModelTraits.ALL : ModelTraits.ALL & ~Needs.TOOLS;
            long window = i % 5 == 0 ? 128_000 : 1_000_000;
            long perImage = 10_000L * (1 + i % 9);
            dev.junction.routing.UnitRates images = units -> units.unit().equals(dev.junction.core.Units.IMAGE)
                    ? new dev.junction.routing.UnitRates.Price("per_image " + units.detail(), perImage, 1) : null;
            return new ModelTraits(mask, window, 32_000, 100_000L * (1 + i % 7), 400_000L * (1 + i % 7), true,
                    images);
        };
        RoutingConfig routing = new RoutingConfig(Map.of("m", new RoutingConfig.ModelRouting(strategy, List.of(),
                false, Duration.ofHours(1))));
        router = Router.create(channels, FailoverConfig.DEFAULT, routing, facts, dev.junction.state.State.inMemory(Clock.system()),
                new SplittableRandom(1), Clock.system());
        needs = new Needs(Needs.TOOLS, 20_000, 4_000, null, 6, false);
        imageNeeds = Needs.billedBy(new dev.junction.core.Units(2, dev.junction.core.Units.IMAGE, "1024x1024 hd", false));
        body = Samples.chatRequest(4, false).getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public Object route() {
        Selection selection = router.select("m", needs);
        Pick pick = selection.next().orElseThrow();
        pick.reservation().settle(TokenUsage.NONE);
        return pick;
    }

    /** {@link #route} for an images request (every strategy; only {@code cheapest} reads its unit prices). */
    @Benchmark
    public Object routeImages() {
        Selection selection = router.select("m", imageNeeds);
        Pick pick = selection.next().orElseThrow();
        pick.reservation().settle(TokenUsage.NONE);
        return pick;
    }

    /**
     * Reference measured in the same run: the previous way of ordering a pool, a full weighted
     * random sort of all 50 candidates (still what {@code RoutingSnapshot.candidates} returns), with
     * no capability filter, strategy or state check at all.
     */
    @Benchmark
    public Object sortAll() {
        return router.current().candidates("m");
    }

    @Benchmark
    public boolean filterOnly() {
        return router.select("m", needs).unservable();
    }

    @Benchmark
    public Needs scan() {
        return NeedsScan.of(body);
    }
}
