package dev.junction.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.Attempt;
import dev.junction.core.EndReason;
import dev.junction.core.ErrorKind;
import dev.junction.core.TokenUsage;
import dev.junction.usage.RequestEnd;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {

    private static final TokenUsage TOKENS = new TokenUsage(100, 20, 30, 5, 7);

    private static GatewayMetrics metrics() {
        return GatewayMetrics.builder().jvm(false).knownModels(Set.of("chat", "fast")::contains).build();
    }

    @Test
    void aServedRequestCountsItsRequestTokensAttemptsFailoverAndFirstToken() {
        try (GatewayMetrics metrics = metrics()) {
            metrics.onEnd(Ends.served("chat", "laptop", TOKENS, 250, 2, 900,
                    new Attempt("a", "abcd", 503, "HTTP 503", 100), new Attempt("b", "efgh", 200, "ok", 120)));
            Samples s = Samples.parse(metrics.scrape());

            assertThat(s.find("junction_requests_total", "api", "openai", "model", "chat", "status_class", "2xx",
                    "end_reason", "done")).singleElement().extracting(Samples.Sample::value).isEqualTo(1.0);
            assertThat(s.sum("junction_tokens_total", "model", "chat", "channel", "b", "type", "input")).isEqualTo(100);
            assertThat(s.sum("junction_tokens_total", "model", "chat", "channel", "b", "type", "output")).isEqualTo(20);
            assertThat(s.sum("junction_tokens_total", "model", "chat", "channel", "b", "type", "cached_read"))
                    .isEqualTo(30);
            assertThat(s.sum("junction_tokens_total", "model", "chat", "channel", "b", "type", "cache_write"))
                    .isEqualTo(5);
            assertThat(s.sum("junction_tokens_total", "model", "chat", "channel", "b", "type", "reasoning"))
                    .isEqualTo(7);
            assertThat(s.sum("junction_upstream_duration_seconds_count", "channel", "a", "result", "server_error"))
                    .isEqualTo(1);
            assertThat(s.sum("junction_upstream_duration_seconds_sum", "channel", "b", "result", "ok"))
                    .isEqualTo(0.12);
            assertThat(s.sum("junction_failovers_total", "channel", "a")).isEqualTo(1);
            assertThat(s.find("junction_failovers_total", "channel", "b")).isEmpty();
            assertThat(s.sum("junction_time_to_first_token_seconds_sum", "channel", "b")).isEqualTo(0.25);
            // 2 ms of admission + 250 ms to the first byte - 220 ms upstream = 32 ms of the gateway's own.
            assertThat(s.sum("junction_gateway_overhead_seconds_bucket", "api", "openai", "le", "0.025")).isZero();
            assertThat(s.sum("junction_gateway_overhead_seconds_bucket", "api", "openai", "le", "0.05")).isEqualTo(1);
            assertThat(s.sum("junction_gateway_overhead_seconds_sum", "api", "openai")).isEqualTo(0.032);
            assertThat(s.has("junction_errors_total")).isFalse();
        }
    }

    @Test
    void theCostOfServedRequestsIsCountedInDollarsAndUnknownCostsApart() {
        try (GatewayMetrics metrics = metrics()) {
            RequestEnd priced = Ends.served("chat", "laptop", TOKENS, 250, 2, 900, new Attempt("b", "efgh", 200, "ok", 120));
            metrics.onEnd(new RequestEnd(priced.record().withCost(1_250_000L), priced.method(), priced.path(),
                    priced.clientAddress(), priced.refusal(), priced.admittedNanos(), priced.elapsedNanos()));
            metrics.onEnd(new RequestEnd(priced.record().withCost(250_000L), priced.method(), priced.path(),
                    priced.clientAddress(), priced.refusal(), priced.admittedNanos(), priced.elapsedNanos()));
            metrics.onEnd(priced); // no price known
            Samples s = Samples.parse(metrics.scrape());
            assertThat(s.sum("junction_cost_usd_total", "model", "chat", "channel", "b")).isEqualTo(1.5);
            assertThat(s.sum("junction_cost_unknown_requests_total", "model", "chat", "channel", "b")).isEqualTo(1);
        }
    }

    @Test
    void overheadOfARequestThatGotNoAnswerIsItsTimeLessItsAttempts() {
        // 900 ms in all, 300 ms + 400 ms waiting on upstreams: 200 ms the gateway's (back-off, bookkeeping).
        long nanos = GatewayMetrics.overheadNanos(Ends.failed("chat", 503,
                new Attempt("a", "", 0, "connection refused", 300), new Attempt("b", "", 0, "timeout", 400)), 700);
        assertThat(nanos).isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    }

    @Test
    void modelsTheGatewayDoesNotServeShareTheLabelOther() {
        try (GatewayMetrics metrics = metrics()) {
            for (int i = 0; i < 50; i++) {
                metrics.onEnd(Ends.refused("/v1/chat/completions", "made-up-" + i, ErrorKind.NOT_FOUND));
            }
            metrics.onEnd(Ends.refused("/v1/messages", "fast", ErrorKind.RATE_LIMITED));
            Samples s = Samples.parse(metrics.scrape());

            assertThat(s.find("junction_requests_total")).extracting(x -> x.labels().get("model"))
                    .containsExactlyInAnyOrder("other", "fast");
            assertThat(s.sum("junction_requests_total", "model", "other", "status_class", "4xx", "end_reason",
                    "rejected")).isEqualTo(50);
            assertThat(s.sum("junction_errors_total", "kind", "not_found")).isEqualTo(50);
            assertThat(s.sum("junction_errors_total", "kind", "rate_limited")).isEqualTo(1);
            assertThat(s.sum("junction_requests_total", "api", "anthropic")).isEqualTo(1);
        }
    }

    @Test
    void aBoundedLabelKeepsItsFirstValuesAndCallsTheRestOther() {
        BoundedLabels labels = new BoundedLabels(3, v -> !v.startsWith("x"));
        assertThat(List.of(labels.of("a"), labels.of("b"), labels.of("xa"), labels.of("c"), labels.of("d"),
                labels.of("a"))).containsExactly("a", "b", "other", "c", "other", "a");
        assertThat(labels.of(null)).isEqualTo("none");
    }

    @Test
    void keyNamesAreLabelsOnlyWhenPerKeyIsOn() {
        try (GatewayMetrics plain = metrics();
                GatewayMetrics perKey = GatewayMetrics.builder().jvm(false).perKey(true).build()) {
            for (GatewayMetrics m : List.of(plain, perKey)) {
                m.onEnd(Ends.served("chat", "laptop", TOKENS, 10, 0, 20, new Attempt("b", "efgh", 200, "ok", 5)));
            }
            assertThat(plain.scrape()).doesNotContain("key=").doesNotContain("laptop");
            Samples s = Samples.parse(perKey.scrape());
            assertThat(s.sum("junction_requests_total", "key", "laptop")).isEqualTo(1);
            assertThat(s.sum("junction_tokens_total", "key", "laptop", "type", "input")).isEqualTo(100);
        }
    }

    @Test
    void failuresAreCountedByKind() {
        try (GatewayMetrics metrics = metrics()) {
            metrics.onEnd(Ends.failed("chat", 503, new Attempt("a", "", 429, "HTTP 429", 3)));
            metrics.onEnd(Ends.failed("chat", 504, new Attempt("a", "", 0, "timeout", 3)));
            metrics.onEnd(Ends.ended(EndReason.UPSTREAM_CUT, 200, "a"));
            metrics.onEnd(Ends.ended(EndReason.UPSTREAM_REJECTED, 400, "a"));
            metrics.onEnd(Ends.ended(EndReason.CLIENT_GONE, 499, "a"));
            metrics.onEnd(Ends.refused("/v1/chat/completions", null, ErrorKind.AUTHENTICATION));
            metrics.onEnd(Ends.refused("/v1/chat/completions", "chat", ErrorKind.INTERNAL));
            Samples s = Samples.parse(metrics.scrape());

            assertThat(s.find("junction_errors_total")).extracting(x -> x.labels().get("kind") + "=" + (int) x.value())
                    .containsExactlyInAnyOrder("upstream_unavailable=1", "upstream_timeout=1", "upstream_cut=1",
                            "upstream_rejected=1", "authentication=1", "internal=1");
            assertThat(s.sum("junction_upstream_duration_seconds_count", "channel", "a", "result", "rate_limited"))
                    .isEqualTo(1);
            assertThat(s.sum("junction_upstream_duration_seconds_count", "channel", "a", "result", "error"))
                    .isEqualTo(1);
            assertThat(s.sum("junction_requests_total", "model", "none", "status_class", "4xx")).isEqualTo(1);
            assertThat(s.sum("junction_requests_total", "end_reason", "client_gone", "status_class", "4xx"))
                    .isEqualTo(1);
        }
    }

    @Test
    void channelStateIsReadAtEachScrape() {
        AtomicReference<List<ChannelState>> now = new AtomicReference<>(List.of(
                new ChannelState("a", true, ChannelState.Circuit.CLOSED, 3, 1, 1),
                new ChannelState("b", false, ChannelState.Circuit.OPEN, 1, 0, 0)));
        try (GatewayMetrics metrics = GatewayMetrics.builder().jvm(false).channels(now::get).build()) {
            Samples s = Samples.parse(metrics.scrape());
            assertThat(s.sum("junction_channel_healthy", "channel", "a")).isEqualTo(1);
            assertThat(s.sum("junction_channel_healthy", "channel", "b")).isZero();
            assertThat(s.sum("junction_channel_circuit", "channel", "b", "state", "open")).isEqualTo(1);
            assertThat(s.sum("junction_channel_circuit", "channel", "b", "state", "closed")).isZero();
            assertThat(s.sum("junction_channel_keys", "channel", "a", "state", "usable")).isEqualTo(1);
            assertThat(s.sum("junction_channel_keys", "channel", "a", "state", "cooling")).isEqualTo(1);
            assertThat(s.sum("junction_channel_keys", "channel", "a", "state", "disabled")).isEqualTo(1);

            now.set(List.of(new ChannelState("a", true, ChannelState.Circuit.HALF_OPEN, 3, 0, 3)));
            s = Samples.parse(metrics.scrape());
            assertThat(s.find("junction_channel_healthy", "channel", "b")).as("a channel no longer there").isEmpty();
            assertThat(s.sum("junction_channel_circuit", "channel", "a", "state", "half_open")).isEqualTo(1);
            assertThat(s.sum("junction_channel_keys", "channel", "a", "state", "disabled")).isEqualTo(3);
            assertThat(s.sum("junction_channel_keys", "channel", "a", "state", "usable")).isZero();
        }
    }

    @Test
    void theUsageQueueShowsItsDepthCapacityAndDrops() {
        AtomicLong dropped = new AtomicLong(4);
        try (GatewayMetrics metrics = GatewayMetrics.builder().jvm(false)
                .usageQueue(() -> 17, 10_000, dropped::get).build()) {
            Samples s = Samples.parse(metrics.scrape());
            assertThat(s.sum("junction_usage_queue_depth")).isEqualTo(17);
            assertThat(s.sum("junction_usage_queue_capacity")).isEqualTo(10_000);
            assertThat(s.sum("junction_usage_dropped_total")).isEqualTo(4);
        }
    }

    @Test
    void jvmAndProcessMetricsAreIncludedByDefault() {
        try (GatewayMetrics metrics = GatewayMetrics.builder().build()) {
            Samples s = Samples.parse(metrics.scrape());
            assertThat(s.has("jvm_memory_used_bytes")).isTrue();
            assertThat(s.has("jvm_threads_live_threads")).isTrue();
            assertThat(s.has("process_cpu_usage")).isTrue();
            assertThat(s.has("process_uptime_seconds")).isTrue();
            assertThat(s.sum("process_cpu_seconds_total")).isPositive();
            assertThat(s.has("system_cpu_cores")).isTrue();
        }
    }

    @Test
    void theClientApiComesFromThePath() {
        assertThat(ClientApi.of("/v1/chat/completions")).isEqualTo(ClientApi.OPENAI);
        assertThat(ClientApi.of("/v1/messages/count_tokens")).isEqualTo(ClientApi.ANTHROPIC);
        assertThat(ClientApi.of("/v1/responses/resp_123")).isEqualTo(ClientApi.RESPONSES);
        assertThat(ClientApi.of("/v1beta/models/flash:streamGenerateContent")).isEqualTo(ClientApi.GEMINI);
        assertThat(ClientApi.of("/v1/embeddings")).isEqualTo(ClientApi.EMBEDDINGS);
        assertThat(ClientApi.of("/v1/models/chat")).isEqualTo(ClientApi.MODELS);
        assertThat(ClientApi.of("/v1/other")).isEqualTo(ClientApi.OTHER);
    }
}
