package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.config.ChannelConfig;
import dev.junction.config.ChannelLimits;
import dev.junction.config.FailoverConfig;
import dev.junction.config.RoutingConfig;
import dev.junction.core.ChannelType;
import dev.junction.core.Clock;
import dev.junction.core.Needs;
import dev.junction.core.TokenUsage;
import dev.junction.state.State;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The strategies that need measurements or load, on a router without HTTP. */
class StrategiesTest {

    private static Router router(RoutingConfig.Strategy strategy, List<ChannelConfig> channels) {
        List<DeclaredChannel> declared = new ArrayList<>();
        for (ChannelConfig config : channels) {
            declared.add(new DeclaredChannel(declared.size() + 1, config));
        }
        RoutingConfig routing = new RoutingConfig(Map.of("m", new RoutingConfig.ModelRouting(strategy, List.of(),
                false, Duration.ofHours(1))));
        return Router.create(declared, FailoverConfig.DEFAULT, routing, ModelFacts.ASSUMED,
                State.inMemory(Clock.system()), new SplittableRandom(7), Clock.system());
    }

    private static ChannelConfig channel(String name, long concurrent) {
        return ChannelConfig.builder(name, ChannelType.OPENAI, URI.create("http://" + name + ".example/v1"))
                .models("m").limits(new ChannelLimits(0, 0, concurrent, 0, 0, 0)).build();
    }

    @Test
    void fastestPrefersTheMeasuredFastChannelButStillExploresTheSlowOne() {
        Router router = router(RoutingConfig.Strategy.FASTEST, List.of(channel("fast", 0), channel("slow", 0)));
        for (int i = 0; i < 5; i++) {
            Selection selection = router.select("m", Needs.NONE);
            for (Pick pick : List.of(selection.next().orElseThrow())) {
                boolean fast = pick.channel().name().equals("fast");
                selection.measured(pick, fast ? 200 : 2_000, 100, fast ? 1_000 : 5_000);
                pick.reservation().settle(TokenUsage.NONE);
            }
        }
        // Measure both at least once.
        measure(router, "fast", 200, 1_000);
        measure(router, "slow", 2_000, 5_000);
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            Pick pick = router.select("m", Needs.NONE).next().orElseThrow();
            pick.reservation().settle(TokenUsage.NONE);
            picks.merge(pick.channel().name(), 1, Integer::sum);
        }
        assertThat(picks.get("fast")).isGreaterThan(1_800);
        assertThat(picks.get("slow")).isPositive();
    }

    private static void measure(Router router, String name, long ttft, long generation) {
        for (int i = 0; i < 50; i++) {
            Selection selection = router.select("m", Needs.NONE);
            Pick pick = selection.next().orElseThrow();
            if (pick.channel().name().equals(name)) {
                selection.measured(pick, ttft, 100, generation);
                pick.reservation().settle(TokenUsage.NONE);
                return;
            }
            pick.reservation().settle(TokenUsage.NONE);
        }
    }

    @Test
    void leastBusyPicksTheChannelWithTheFewestInFlightRelativeToItsConcurrency() {
        Router router = router(RoutingConfig.Strategy.LEAST_BUSY, List.of(channel("big", 8), channel("small", 2)));
        List<String> order = new ArrayList<>();
        List<Pick> held = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Pick pick = router.select("m", Needs.NONE).next().orElseThrow();
            held.add(pick);
            order.add(pick.channel().name());
        }
        // 8 + 2 slots fill in proportion; the 11th request finds both full.
        assertThat(order.stream().filter("big"::equals).count()).isEqualTo(8);
        Selection full = router.select("m", Needs.NONE);
        assertThat(full.next()).isEmpty();
        assertThat(full.limited()).isTrue();
        assertThat(full.limitName()).isEqualTo("concurrent");
        held.forEach(p -> p.reservation().settle(TokenUsage.NONE));
        assertThat(router.select("m", Needs.NONE).next()).isPresent();
    }

    @Test
    void priorityIsStrictOrder() {
        Router router = router(RoutingConfig.Strategy.PRIORITY, List.of(
                ChannelConfig.builder("light", ChannelType.OPENAI, URI.create("http://l/v1")).models("m").weight(1)
                        .build(),
                ChannelConfig.builder("heavy", ChannelType.OPENAI, URI.create("http://h/v1")).models("m").weight(9)
                        .build()));
        for (int i = 0; i < 20; i++) {
            assertThat(router.select("m", Needs.NONE).next().orElseThrow().channel().name()).isEqualTo("heavy");
        }
    }
}
