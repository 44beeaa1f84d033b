package dev.junction.admin.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.config.AlertsConfig;
import dev.junction.core.Clock;
import dev.junction.store.AlertStore.AlertRow;
import dev.junction.store.WebhookStore.WebhookRow;
import dev.junction.testing.FakeWebhookReceiver;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook delivery retries against a receiver over real HTTP, with the waits taken from the injected
 * {@link Webhooks.Pause} (recorded, not slept): the config file's and the admin API's webhooks retry
 * on one schedule, doubling from 1 s up to the cap; a 429's or 503's {@code Retry-After} (seconds or
 * an HTTP date, on the injected clock) is waited within the cap; a delivery gives up after
 * {@code retries} + 1 attempts; a dead receiver's lane stays bounded, its oldest waiting notices
 * dropped and counted.
 */
class WebhookRetriesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The injected clock: a fixed instant, so an HTTP-date Retry-After is an exact wait. */
    private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");
    private static final Clock CLOCK = new Clock() {
        @Override
        public Instant now() {
            return NOW;
        }

        @Override
        public long nanoTime() {
            return 0;
        }
    };

    final List<AutoCloseable> open = new ArrayList<>();
    /** The waits the sender asked for, in order. */
    final List<Duration> waits = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    FakeWebhookReceiver receiver(int failFirst) throws Exception {
        FakeWebhookReceiver receiver = FakeWebhookReceiver.start(failFirst);
        open.add(receiver);
        return receiver;
    }

    /** A sender with one webhook to {@code receiver}, from the file or the API, retrying {@code retries} times. */
    Webhooks sender(String source, FakeWebhookReceiver receiver, int retries, Webhooks.Pause pause) {
        URI url = URI.create(receiver.url("/hook?token=secret"));
        Webhooks webhooks = source.equals(Hook.FILE)
                ? Webhooks.start(List.of(new AlertsConfig.Webhook("ops", url, "json", "info", Duration.ofSeconds(5),
                        retries, Duration.ofSeconds(1))), List::of, CLOCK, pause)
                : Webhooks.start(List.of(), () -> List.of(Hook.of(new WebhookRow("team", url, Map.of(), "json", "info",
                        5_000, retries, true, "root", 0))), CLOCK, pause);
        open.add(webhooks);
        assertThat(webhooks.hooks()).singleElement().extracting(Hook::source).isEqualTo(source);
        return webhooks;
    }

    Webhooks sender(String source, FakeWebhookReceiver receiver, int retries) {
        return sender(source, receiver, retries, waits::add);
    }

    static Notice notice(long id) {
        long at = NOW.toEpochMilli();
        return new Notice(Notice.Event.FIRING, new AlertRow(id, "errors", "error_rate", "model:gpt", Optional.empty(),
                "warning", 1.0, 0.5, "5xx on gpt", 1, 1, 1, 0, at, at, OptionalLong.empty(), Set.of()), NOW);
    }

    static List<Long> alertIds(FakeWebhookReceiver receiver) {
        return receiver.posts().stream().map(p -> JSON.readTree(p.body()).at("/alert/id").asLong()).toList();
    }

    static List<Duration> seconds(long... values) {
        return LongStream.of(values).mapToObj(Duration::ofSeconds).toList();
    }

    @ParameterizedTest(name = "{0} webhook")
    @ValueSource(strings = {Hook.FILE, Hook.DATABASE})
    void fileAndApiWebhooksRetryDoublingFromOneSecondUpToTheCapUntilTheReceiverTakesIt(String source)
            throws Exception {
        FakeWebhookReceiver receiver = receiver(8);
        Webhooks webhooks = sender(source, receiver, 10);

        webhooks.send(notice(1));
        webhooks.drain(Duration.ofSeconds(20));

        assertThat(receiver.posts()).extracting(FakeWebhookReceiver.Post::answered)
                .containsExactly(500, 500, 500, 500, 500, 500, 500, 500, 204);
        assertThat(waits).containsExactlyElementsOf(seconds(1, 2, 4, 8, 16, 32, 60, 60));
        assertThat(RetrySchedule.CAP).isEqualTo(Duration.ofSeconds(60));
        assertThat(webhooks.delivered()).isEqualTo(1);
        assertThat(webhooks.failed()).isZero();
    }

    @ParameterizedTest(name = "{0} webhook")
    @ValueSource(strings = {Hook.FILE, Hook.DATABASE})
    void aDeliveryGivesUpAfterItsRetriesPlusOneAttempts(String source) throws Exception {
        FakeWebhookReceiver receiver = receiver(100);
        Webhooks webhooks = sender(source, receiver, 3);

        webhooks.send(notice(1));
        webhooks.drain(Duration.ofSeconds(20));

        assertThat(receiver.posts()).hasSize(4).allMatch(p -> p.answered() == 500);
        assertThat(waits).containsExactlyElementsOf(seconds(1, 2, 4));
        assertThat(webhooks.delivered()).isZero();
        assertThat(webhooks.failed()).isEqualTo(1);
    }

    @Test
    void aReceiversRetryAfterOn429Or503IsWaitedWithinTheCapAndNeverShortensTheBackOff() throws Exception {
        FakeWebhookReceiver receiver = receiver(0);
        receiver.answerNext(429, "7")                              // longer than the 1 s back-off: 7 s
                .answerNext(503, "3600")                           // beyond the cap: 60 s
                .answerNext(503, "Mon, 05 Jan 2026 10:00:20 GMT")  // an HTTP date, 20 s after the clock's now
                .answerNext(500, "30")                             // not a 429 or 503: the back-off, 8 s
                .answerNext(429, "0");                             // shorter than the back-off: 16 s
        Webhooks webhooks = sender(Hook.DATABASE, receiver, 10);

        webhooks.send(notice(1));
        webhooks.drain(Duration.ofSeconds(20));

        assertThat(receiver.posts()).extracting(FakeWebhookReceiver.Post::answered)
                .containsExactly(429, 503, 503, 500, 429, 204);
        assertThat(waits).containsExactlyElementsOf(seconds(7, 60, 20, 8, 16));
        assertThat(webhooks.delivered()).isEqualTo(1);
    }

    @Test
    void aDeadReceiversLaneStaysBoundedDroppingAndCountingTheOldestWaitingNotices() throws Exception {
        FakeWebhookReceiver receiver = receiver(0);
        receiver.answerNext(500, null);
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Webhooks webhooks = sender(Hook.FILE, receiver, 2, wait -> {
            waits.add(wait);
            waiting.countDown();
            release.await();
        });

        // The first notice failed and its retry waits: every notice raised meanwhile queues behind it.
        webhooks.send(notice(0));
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
        for (long id = 1; id <= Webhooks.LANE + 3; id++) {
            webhooks.send(notice(id));
        }
        assertThat(webhooks.dropped()).as("the lane holds %d; the 3 oldest waiting went", Webhooks.LANE)
                .isEqualTo(3);

        release.countDown();
        webhooks.drain(Duration.ofSeconds(20));
        List<Long> expected = new ArrayList<>(List.of(0L, 0L));
        LongStream.rangeClosed(4, Webhooks.LANE + 3).forEach(expected::add);
        assertThat(alertIds(receiver)).as("the first twice (failed, retried), then the newest %d in order",
                Webhooks.LANE).containsExactlyElementsOf(expected);
        assertThat(webhooks.delivered()).isEqualTo(Webhooks.LANE + 1);
        assertThat(webhooks.failed()).isZero();
        assertThat(waits).containsExactly(Duration.ofSeconds(1));
    }
}
