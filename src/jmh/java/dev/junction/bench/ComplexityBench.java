package dev.junction.bench;

import dev.junction.config.ChannelConfig;
import dev.junction.config.FailoverConfig;
import dev.junction.config.RoutingConfig;
import dev.junction.core.ChannelType;
import dev.junction.core.Clock;
import dev.junction.core.Needs;
import dev.junction.core.TokenUsage;
import dev.junction.protocol.NeedsScan;
import dev.junction.routing.ComplexityRules;
import dev.junction.routing.DeclaredChannel;
import dev.junction.routing.ModelFacts;
import dev.junction.routing.Pick;
import dev.junction.routing.Router;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Complexity routing (issue 15: the classifier well under 0.1 ms): {@code classify} is the rule-based
 * verdict on a request's scanned needs; {@code routeAuto} is what the relay does for the public model
 * {@code auto} over 50 channels (25 behind the simple model, 25 behind the hard one): classify, build
 * the chosen model's selection, take the first weighted pick, settle it; {@code routeDirect} is the
 * same pick on the hard model named directly, the reference in the same run; {@code scan} is the one
 * pass over a 4 KB body that finds the needs, reasoning words included.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ComplexityBench {

    private Router router;
    private Needs needs;
    private RoutingConfig.Complexity rules;
    private byte[] body;

    @Setup
    public void setUp() {
        List<DeclaredChannel> channels = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ChannelConfig config = ChannelConfig.builder("c" + i, ChannelType.OPENAI, URI.create("http://c" + i + "/v1"))
                    .apiKeys("sk-key-" + i)
                    .models(Map.of(i % 2 == 0 ? "small" : "frontier", "up-" + i))
                    .weight(1 + i % 5)
                    .build();
            channels.add(new DeclaredChannel(i + 1, config));
        }
        rules = new RoutingConfig.Complexity("small", "frontier", 3, 2_000, 12);
        RoutingConfig routing = new RoutingConfig(Map.of("auto", new RoutingConfig.ModelRouting(
                RoutingConfig.Strategy.WEIGHTED, List.of(), false, Duration.ofHours(1), Optional.of(rules))));
        ModelFacts facts = ModelFacts.ASSUMED;
        router = Router.create(channels, FailoverConfig.DEFAULT, routing, facts,
                dev.junction.state.State.inMemory(Clock.system()), new SplittableRandom(1), Clock.system());
        needs = new Needs(Needs.TOOLS, 20_000, 4_000, null, 6, true, 1);
        body = Samples.chatRequest(4, false).getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public ComplexityRules.Verdict classify() {
        return ComplexityRules.classify(needs, rules);
    }

    @Benchmark
    public Object routeAuto() {
        Pick pick = router.select("auto", needs).next().orElseThrow();
        pick.reservation().settle(TokenUsage.NONE);
        return pick;
    }

    @Benchmark
    public Object routeDirect() {
        Pick pick = router.select("frontier", needs).next().orElseThrow();
        pick.reservation().settle(TokenUsage.NONE);
        return pick;
    }

    @Benchmark
    public Needs scan() {
        return NeedsScan.of(body);
    }
}
