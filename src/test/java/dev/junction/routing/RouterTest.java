package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.config.ChannelConfig;
import dev.junction.config.FailoverConfig;
import dev.junction.core.Clock;
import dev.junction.core.ChannelType;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RouterTest {

    private static ChannelConfig channel(String name, int priority, int weight, String... models) {
        Map<String, String> map = new HashMap<>();
        for (String m : models) {
            map.put(m, name + "-" + m);
        }
        return ChannelConfig.builder(name, ChannelType.OPENAI, URI.create("http://" + name + ".example/v1"))
                .models(map).priority(priority).weight(weight).build();
    }

    private static Router router(SplittableRandom random, ChannelConfig... channels) {
        return Router.of(List.of(channels), FailoverConfig.DEFAULT, random, Clock.system());
    }

    @Test
    void higherPriorityTiersComeFirstAndEveryChannelIsListedOnce() {
        Router router = router(new SplittableRandom(1), channel("low", 0, 100, "m"), channel("high-a", 10, 1, "m"),
                channel("high-b", 10, 1, "m"), channel("other", 50, 1, "x"));
        for (int i = 0; i < 50; i++) {
            List<String> names = router.candidates("m").stream().map(c -> c.channel().name()).toList();
            assertThat(names).hasSize(3);
            assertThat(names.subList(0, 2)).containsExactlyInAnyOrder("high-a", "high-b");
            assertThat(names.get(2)).isEqualTo("low");
        }
        assertThat(router.candidates("m").getFirst().upstreamModel()).startsWith("high-");
        assertThat(router.candidates("nope")).isEmpty();
        assertThat(router.models()).containsExactlyInAnyOrder("m", "x");
    }

    @Test
    void splitsFortyThirtyThirty() {
        assertSplit(new int[] {40, 30, 30}, 3000, 7);
    }

    @Test
    void splitsNinetyTen() {
        assertSplit(new int[] {90, 10}, 3000, 11);
    }

    /**
     * Pearson's chi-square on first picks against the weights. Critical values at p = 0.001:
     * 13.82 for 2 degrees of freedom, 10.83 for 1. A biased router fails this by far (a uniform
     * pick at 90/10 gives a statistic over 3000).
     */
    private static void assertSplit(int[] weights, int draws, long seed) {
        List<ChannelConfig> channels = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            channels.add(channel("c" + i, 0, weights[i], "m"));
        }
        Router router = router(new SplittableRandom(seed), channels.toArray(ChannelConfig[]::new));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < draws; i++) {
            counts.merge(router.candidates("m").getFirst().channel().name(), 1, Integer::sum);
        }
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        double chiSquare = 0;
        for (int i = 0; i < weights.length; i++) {
            double expected = draws * (double) weights[i] / total;
            double observed = counts.getOrDefault("c" + i, 0);
            chiSquare += (observed - expected) * (observed - expected) / expected;
        }
        double critical = weights.length == 3 ? 13.82 : 10.83;
        assertThat(chiSquare).as("chi-square for %s: %s", List.of(weights), counts).isLessThan(critical);
    }

    @Test
    void randomKeySelectionUsesEveryKey() {
        ChannelConfig config = ChannelConfig.builder("k", ChannelType.OPENAI, URI.create("http://k/v1"))
                .apiKeys("sk-a-000000001", "sk-b-000000002", "sk-c-000000003").models("m")
                .keySelection(ChannelConfig.KeySelection.RANDOM).build();
        Channel channel = router(new SplittableRandom(3), config).channels().getFirst();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            counts.merge(channel.usableKey(Set.of(), Instant.EPOCH).suffix(), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys("…0001", "…0002", "…0003");
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(60, 140));
    }

    @Test
    void providerKeysRotateAndNeverPrintInFull() {
        ChannelConfig config = ChannelConfig.builder("k", ChannelType.OPENAI, URI.create("http://k/v1"))
                .apiKeys("sk-first-secret-AAAA", "sk-second-secret-BBBB").models("m").build();
        Channel channel = router(new SplittableRandom(1), config).channels().getFirst();
        assertThat(channel.usableKey(Set.of(), Instant.EPOCH).key().orElseThrow().secret()).isEqualTo("sk-first-secret-AAAA");
        ProviderKey second = channel.usableKey(Set.of(), Instant.EPOCH).key().orElseThrow();
        assertThat(second.secret()).isEqualTo("sk-second-secret-BBBB");
        assertThat(second.toString()).doesNotContain("secret").contains("BBBB");
        assertThat(channel.usableKey(Set.of(), Instant.EPOCH).suffix()).isEqualTo("…AAAA");
    }
}
