package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.protocol.JsonTrees;
import dev.junction.testing.Chat;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.MutableClock;
import dev.junction.testing.Opened;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Channel limits, learned provider limits, strategies, fallback chains and session affinity over
 * real HTTP against fake providers (issue 15's done-when list).
 */
class PoolingTest {

    static final String OK_BODY = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";

    @TempDir
    Path dir;

    @RegisterExtension
    final Opened open = new Opened();

    private <T extends AutoCloseable> T opened(T closeable) {
        return open.add(closeable);
    }

    private static String channelOf(HttpResponse<String> response) {
        return response.headers().firstValue("x-junction-channel").orElse("");
    }

    /** A provider that allows {@code perMinute} requests in any 60 seconds of {@code clock} and 429s past them. */
    private static FakeProvider.Reply slidingMinute(MutableClock clock, int perMinute, AtomicInteger refused) {
        Deque<Instant> served = new ArrayDeque<>();
        return new FakeProvider.Scripted(request -> {
            synchronized (served) {
                Instant now = clock.now();
                while (!served.isEmpty() && !served.peekFirst().isAfter(now.minusSeconds(60))) {
                    served.removeFirst();
                }
                if (served.size() >= perMinute) {
                    refused.incrementAndGet();
                    return FakeProvider.status(429, Map.of("Retry-After", "60"));
                }
                served.addLast(now);
                return FakeProvider.text("hi");
            }
        });
    }

    @Test
    void threeChannelsAtRpm10ServeABurstOf30WithoutAnUpstream429AndThe31stGetsA429WithItsReset() throws Exception {
        MutableClock clock = new MutableClock();
        AtomicInteger refused = new AtomicInteger();
        StringBuilder yaml = new StringBuilder("channels:\n");
        List<FakeOpenAi> fakes = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            FakeOpenAi fake = opened(FakeOpenAi.start("sk-fake-" + name));
            fake.always(slidingMinute(clock, 10, refused));
            fakes.add(fake);
            yaml.append(TestGateway.channel(name, fake, "{chat: m-" + name + "}", "limits: { rpm: 10 }"));
        }
        TestGateway gateway = opened(TestGateway.start(dir, yaml.toString(), clock));
        for (int i = 0; i < 30; i++) {
            assertThat(gateway.post("/v1/chat/completions", Chat.body("chat", false)).statusCode()).isEqualTo(200);
        }
        assertThat(refused).hasValue(0);
        assertThat(fakes).allSatisfy(fake -> assertThat(fake.requestCount()).isEqualTo(10));
        HttpResponse<String> limited = gateway.post("/v1/chat/completions", Chat.body("chat", false));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(JsonTrees.MAPPER.readTree(limited.body()).at("/error/message").asString()).contains("rpm");
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(60L, 71L);
        assertThat(fakes.stream().mapToInt(FakeProvider::requestCount).sum()).isEqualTo(30);
        // Just before the reset it is still refused; at the reset the providers take it again.
        clock.advance(Duration.ofSeconds(retryAfter - 2));
        assertThat(gateway.post("/v1/chat/completions", Chat.body("chat", false)).statusCode()).isEqualTo(429);
        clock.advance(Duration.ofSeconds(2));
        assertThat(gateway.post("/v1/chat/completions", Chat.body("chat", false)).statusCode()).isEqualTo(200);
        assertThat(refused).hasValue(0);
    }

    @Test
    void learnedRemainingZeroMovesTrafficBeforeAny429() throws Exception {
        MutableClock clock = new MutableClock();
        FakeOpenAi first = opened(FakeOpenAi.start("sk-fake-first"));
        FakeOpenAi second = opened(FakeOpenAi.start("sk-fake-second"));
        first.always(FakeProvider.status(200, OK_BODY, Map.of("X-RateLimit-Remaining-Requests", "0",
                "X-RateLimit-Reset-Requests", "30s")));
        TestGateway gateway = opened(TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("first", first, "{chat: m1}", "priority: 10")
                + TestGateway.channel("second", second, "{chat: m2}", ""), clock));
        assertThat(channelOf(gateway.post("/v1/chat/completions", Chat.body("chat", false)))).isEqualTo("first");
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = gateway.post("/v1/chat/completions", Chat.body("chat", false));
            assertThat(channelOf(response)).isEqualTo("second");
            assertThat(response.headers().firstValue("x-junction-attempts")).contains("1");
        }
        assertThat(first.requestCount()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(31));
        assertThat(channelOf(gateway.post("/v1/chat/completions", Chat.body("chat", false)))).isEqualTo("first");
    }

    @Test
    void cheapestSendsEverythingToTheCheaperChannelUntilItFailsOrHitsItsLimit() throws Exception {
        FakeOpenAi cheap = opened(FakeOpenAi.start("sk-fake-cheap"));
        FakeOpenAi dear = opened(FakeOpenAi.start("sk-fake-dear"));
        TestGateway gateway = opened(TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("dear", dear, "{chat: gpt-4o}", "weight: 100")
                + TestGateway.channel("cheap", cheap, "{chat: gpt-4o-mini}", "limits: { rpm: 8 }")
                + "routing:\n  chat: { strategy: cheapest }\n"));
        for (int i = 0; i < 5; i++) {
            assertThat(channelOf(gateway.post("/v1/chat/completions", Chat.body("chat", false)))).isEqualTo("cheap");
        }
        cheap.then(FakeProvider.status(500));
        HttpResponse<String> failedOver = gateway.post("/v1/chat/completions", Chat.body("chat", false));
        assertThat(channelOf(failedOver)).isEqualTo("dear");
        assertThat(failedOver.headers().firstValue("x-junction-attempts")).contains("2");
        for (int i = 0; i < 2; i++) {
            assertThat(channelOf(gateway.post("/v1/chat/completions", Chat.body("chat", false)))).isEqualTo("cheap");
        }
        // 8 requests this minute: the cheap channel is at its rpm and skipped without a try.
        HttpResponse<String> limited = gateway.post("/v1/chat/completions", Chat.body("chat", false));
        assertThat(channelOf(limited)).isEqualTo("dear");
        assertThat(limited.headers().firstValue("x-junction-attempts")).contains("1");
        assertThat(cheap.requestCount()).isEqualTo(8);
    }

    @Test
    void cheapestReadsAChannelsPricesOverTheCatalog() throws Exception {
        FakeOpenAi discounted = opened(FakeOpenAi.start("sk-fake-discounted"));
        FakeOpenAi listed = opened(FakeOpenAi.start("sk-fake-listed"));
        // By the catalog gpt-4o costs far more than gpt-4o-mini; this channel's contract says otherwise.
        TestGateway gateway = opened(TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("discounted", discounted, "{chat: gpt-4o}",
                        "prices: { gpt-4o: { input: 0.01, output: 0.02 } }")
                + TestGateway.channel("listed", listed, "{chat: gpt-4o-mini}", "weight: 100")
                + "routing:\n  chat: { strategy: cheapest }\n"));
        for (int i = 0; i < 4; i++) {
            assertThat(channelOf(gateway.post("/v1/chat/completions", Chat.body("chat", false))))
                    .isEqualTo("discounted");
        }
        assertThat(listed.requestCount()).isZero();
    }

    @Test
    void quotaBalancedDrainsQuotasOf1000And3000TokensInProportion() throws Exception {
        FakeOpenAi small = opened(FakeOpenAi.start("sk-fake-small"));
        FakeOpenAi large = opened(FakeOpenAi.start("sk-fake-large"));
        small.always(new FakeProvider.Text("hi", 1, 12, 8));
        large.always(new FakeProvider.Text("hi", 1, 12, 8));
        TestGateway gateway = opened(TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("small", small, "{chat: m-small}", "weight: 5\nlimits: { tokens_per_day: 1000 }")
                + TestGateway.channel("large", large, "{chat: m-large}", "limits: { tokens_per_day: 3000 }")
                + "routing:\n  chat: { strategy: quota_balanced }\n"));
        for (int round = 1; round <= 4; round++) {
            for (int i = 0; i < 40; i++) {
                assertThat(gateway.post("/v1/chat/completions", Chat.body("chat", false)).statusCode()).isEqualTo(200);
            }
            double smallShare = small.requestCount() * 20 / 1000.0;
            double largeShare = large.requestCount() * 20 / 3000.0;
            assertThat(Math.abs(smallShare - largeShare)).as("after %d requests: %s vs %s", round * 40, smallShare,
                    largeShare).isLessThanOrEqualTo(0.1);
        }
        // 160 requests of 20 tokens drained 3,200 of 4,000; the rest goes too, then both are at their quota.
        int served = 160;
        while (gateway.post("/v1/chat/completions", Chat.body("chat", false)).statusCode() == 200) {
            served++;
        }
        assertThat(served).isBetween(195, 200);
        HttpResponse<String> limited = gateway.post("/v1/chat/completions", Chat.body("chat", false));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void aFallbackChainServesWhenTheFirstModelsPoolIsDownOrAtItsLimits() throws Exception {
        FakeOpenAi primary = opened(FakeOpenAi.start("sk-fake-primary"));
        FakeOpenAi backup = opened(FakeOpenAi.start("sk-fake-backup"));
        FakeOpenAi last = opened(FakeOpenAi.start("sk-fake-last"));
        TestGateway gateway = opened(TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("primary", primary, "{big: big-model}", "limits: { rpm: 2 }")
                + TestGateway.channel("backup", backup, "{medium: medium-model}", "")
                + TestGateway.channel("last", last, "{small: small-model}", "")
                + "routing:\n  big: { fallbacks: [medium, small] }\n"));
        assertThat(channelOf(gateway.post("/v1/chat/completions", Chat.body("big", false)))).isEqualTo("primary");
        primary.then(FakeProvider.status(503));
        backup.then(FakeProvider.status(503));
        HttpResponse<String> fellBack = gateway.post("/v1/chat/completions", Chat.body("big", false));
        assertThat(fellBack.statusCode()).isEqualTo(200);
        assertThat(channelOf(fellBack)).isEqualTo("last");
        assertThat(fellBack.headers().firstValue("x-junction-model")).contains("small");
        assertThat(fellBack.headers().firstValue("x-junction-attempts")).contains("3");
        List<Map<String, Object>> rows = gateway.usageRows(2);
        assertThat(String.valueOf(rows.getLast().get("attempts"))).contains("fallback medium")
                .contains("fallback small");
        // primary has had its 2 requests this minute: skipped, and the fallback serves at once.
        HttpResponse<String> limited = gateway.post("/v1/chat/completions", Chat.body("big", false));
        assertThat(channelOf(limited)).isEqualTo("backup");
        assertThat(limited.headers().firstValue("x-junction-attempts")).contains("1");
        assertThat(primary.requestCount()).isEqualTo(2);
    }

    @Test
    void affinityKeepsTwentyTurnsOfOneSessionOnOneChannelWhileSessionsSpreadByWeight() throws Exception {
        FakeOpenAi a = opened(FakeOpenAi.start("sk-fake-a"));
        FakeOpenAi b = opened(FakeOpenAi.start("sk-fake-b"));
        TestGateway gateway = opened(TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("a", a, "{chat: m-a}", "")
                + TestGateway.channel("b", b, "{chat: m-b}", "")
                + "routing:\n  chat: { affinity: true }\n"));
        Map<String, Integer> firstTurns = new HashMap<>();
        for (String session : List.of("one", "two")) {
            String sticky = null;
            for (int turn = 0; turn < 20; turn++) {
                String channel = channelOf(gateway.postWithHeaders("/v1/chat/completions", Chat.body("chat", false),
                        Map.of("x-junction-session", session)));
                sticky = sticky == null ? channel : sticky;
                assertThat(channel).as("session %s turn %d", session, turn).isEqualTo(sticky);
            }
            firstTurns.merge(sticky, 1, Integer::sum);
        }
        // Many sessions spread over both channels by weight.
        Map<String, Integer> spread = new HashMap<>();
        for (int s = 0; s < 60; s++) {
            String channel = channelOf(gateway.postWithHeaders("/v1/chat/completions", Chat.body("chat", false),
                    Map.of("x-junction-session", "s-" + s)));
            spread.merge(channel, 1, Integer::sum);
        }
        assertThat(spread.get("a")).isBetween(15, 45);
        assertThat(spread.get("b")).isBetween(15, 45);
        // The session's channel fails: the session moves, and stays where it moved.
        String was = channelOf(gateway.postWithHeaders("/v1/chat/completions", Chat.body("chat", false),
                Map.of("x-junction-session", "one")));
        (was.equals("a") ? a : b).then(FakeProvider.status(500));
        String moved = channelOf(gateway.postWithHeaders("/v1/chat/completions", Chat.body("chat", false),
                Map.of("x-junction-session", "one")));
        assertThat(moved).isNotEqualTo(was);
        for (int turn = 0; turn < 5; turn++) {
            assertThat(channelOf(gateway.postWithHeaders("/v1/chat/completions", Chat.body("chat", false),
                    Map.of("x-junction-session", "one")))).isEqualTo(moved);
        }
    }

    @Test
    void claudeCodesSessionInMetadataIsTheAffinityKey() throws Exception {
        FakeOpenAi a = opened(FakeOpenAi.start("sk-fake-a"));
        FakeOpenAi b = opened(FakeOpenAi.start("sk-fake-b"));
        TestGateway gateway = opened(TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("a", a, "{chat: m-a}", "")
                + TestGateway.channel("b", b, "{chat: m-b}", "")
                + "routing:\n  chat: { affinity: true }\n"));
        String body = "{\"model\":\"chat\",\"metadata\":{\"user_id\":\"user_x_account__session_7\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String sticky = channelOf(gateway.post("/v1/chat/completions", body));
        for (int turn = 0; turn < 19; turn++) {
            assertThat(channelOf(gateway.post("/v1/chat/completions", body))).isEqualTo(sticky);
        }
    }
}
