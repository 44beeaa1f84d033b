package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.config.ChannelConfig;
import dev.junction.config.FailoverConfig;
import dev.junction.config.Timeouts;
import dev.junction.core.ChannelType;
import dev.junction.core.Clock;
import dev.junction.state.Circuit;
import dev.junction.state.State;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RoutingSnapshotTest {

    private final AtomicLong millis = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
    private final Clock clock = new Clock() {
        @Override
        public Instant now() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public long nanoTime() {
            return millis.get() * 1_000_000;
        }
    };

    private static ChannelConfig channel(String name, int priority, List<String> keys) {
        return ChannelConfig.builder(name, ChannelType.OPENAI, URI.create("http://" + name + ".example/v1"))
                .apiKeys(keys).models(Map.of("m", name + "-m")).priority(priority).build();
    }

    private Router router(DeclaredChannel... channels) {
        return Router.create(List.of(channels), FailoverConfig.DEFAULT, State.inMemory(clock),
                new SplittableRandom(1), clock);
    }

    @Test
    void cooldownsCircuitsSuspensionsAndHealthSurviveASwapForTheSameIds() {
        Router router = router(new DeclaredChannel(7, channel("main", 10, List.of("sk-key-one-0001", "sk-key-two-0002"))),
                new DeclaredChannel(8, channel("spare", 0, List.of("sk-spare-0003"))));
        RoutingSnapshot first = router.current();
        Channel main = first.channel(7).orElseThrow();
        KeyState one = main.keys().get(0);
        KeyState two = main.keys().get(1);
        main.rateLimited(one, Duration.ofSeconds(40), 0);
        main.keyRejected(two, "HTTP 401", 0);
        for (int i = 0; i < FailoverConfig.DEFAULT.breaker().consecutiveFailures(); i++) {
            main.failed(0);
        }
        Channel spare = first.channel(8).orElseThrow();
        spare.healthChecked(false, "HTTP 503");

        // The next snapshot: main renamed, re-weighted, its keys in the other order; spare unchanged.
        RoutingSnapshot second = router.swap(List.of(
                new DeclaredChannel(8, channel("spare", 0, List.of("sk-spare-0003"))),
                new DeclaredChannel(7, channel("main-renamed", 5, List.of("sk-key-two-0002", "sk-key-one-0001")))));

        assertThat(second.version()).isEqualTo(first.version() + 1);
        assertThat(router.current()).isSameAs(second);
        Channel mainAgain = second.channel(7).orElseThrow();
        assertThat(mainAgain).isNotSameAs(main);
        assertThat(mainAgain.name()).isEqualTo("main-renamed");
        assertThat(mainAgain.circuit()).isEqualTo(Circuit.OPEN);
        KeyState twoAgain = mainAgain.keys().get(0);
        KeyState oneAgain = mainAgain.keys().get(1);
        assertThat(twoAgain.suffix()).isEqualTo(two.suffix());
        assertThat(twoAgain.disabled()).as("the key, not its position, carries the suspension").isTrue();
        assertThat(twoAgain.disabledReason()).isEqualTo("HTTP 401");
        assertThat(oneAgain.disabled()).isFalse();
        assertThat(oneAgain.coolUntil()).isEqualTo(clock.now().plusSeconds(40));
        assertThat(second.channel(8).orElseThrow().healthy()).isFalse();
    }

    @Test
    void aChannelWithANewIdStartsWithFreshState() {
        ChannelConfig config = channel("main", 0, List.of("sk-key-one-0001"));
        Router router = router(new DeclaredChannel(7, config));
        Channel main = router.current().channel(7).orElseThrow();
        main.keyRejected(main.keys().getFirst(), "HTTP 403", 0);
        router.swap(List.of(new DeclaredChannel(9, config)));
        assertThat(router.current().channel(9).orElseThrow().keys().getFirst().disabled()).isFalse();
        assertThat(router.current().channel(7)).isEmpty();
    }

    @Test
    void aSelectionKeepsTheSnapshotItStartedOnWhileNewSelectionsSeeTheSwap() {
        Router router = router(new DeclaredChannel(1, channel("old", 0, List.of("sk-old-key-0001"))));
        Selection inFlight = router.select("m");
        router.swap(List.of(new DeclaredChannel(2, channel("new", 0, List.of("sk-new-key-0002")))));

        Pick pick = inFlight.next().orElseThrow();
        assertThat(pick.channel().name()).isEqualTo("old");
        assertThat(pick.candidate().upstreamModel()).isEqualTo("old-m");
        assertThat(router.select("m").next().orElseThrow().channel().name()).isEqualTo("new");
        // An outcome reported on the old snapshot's channel still lands in the shared state.
        pick.channel().keyRejected(pick.key(), "HTTP 401", 0);
        router.swap(List.of(new DeclaredChannel(1, channel("old", 0, List.of("sk-old-key-0001")))));
        assertThat(router.current().channel(1).orElseThrow().keys().getFirst().disabled()).isTrue();
    }

    @Test
    void aRestingKeyIsPassedOverUntilItsCooldownEndsAcrossSnapshots() {
        Router router = router(new DeclaredChannel(1, channel("a", 10, List.of("sk-a-key-0001"))),
                new DeclaredChannel(2, channel("b", 0, List.of("sk-b-key-0002"))));
        Pick first = router.select("m").next().orElseThrow();
        assertThat(first.channel().name()).isEqualTo("a");
        first.channel().rateLimited(first.key(), Duration.ofSeconds(20), 0);
        router.swap(List.of(new DeclaredChannel(1, channel("a", 10, List.of("sk-a-key-0001"))),
                new DeclaredChannel(2, channel("b", 0, List.of("sk-b-key-0002")))));
        assertThat(router.select("m").next().orElseThrow().channel().name()).isEqualTo("b");
        millis.addAndGet(21_000);
        assertThat(router.select("m").next().orElseThrow().channel().name()).isEqualTo("a");
    }
}
