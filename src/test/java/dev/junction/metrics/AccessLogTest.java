package dev.junction.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.Attempt;
import dev.junction.core.ErrorKind;
import dev.junction.core.TokenUsage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AccessLogTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aServedRequestIsOneJsonObjectWithEveryField() {
        String line = AccessLog.line(Ends.served("chat", "laptop", new TokenUsage(100, 20, 30, 5, 7), 250, 2, 900,
                new Attempt("a", "abcd", 503, "HTTP 503", 100), new Attempt("b", "efgh", 200, "ok", 120)));
        assertThat(line).doesNotContain("\n");
        JsonNode json = JSON.readTree(line);
        assertThat(json.propertyNames()).containsExactly("time", "request_id", "api", "method", "path", "status",
                "model", "stream", "channel", "upstream_model", "attempts", "tokens", "latency_ms", "ttft_ms",
                "end_reason", "key", "client_ip");
        assertThat(JSON.convertValue(json, Map.class)).containsEntry("time", "2026-12-03T10:15:30.123Z")
                .containsEntry("request_id", "req-1").containsEntry("api", "openai").containsEntry("method", "POST")
                .containsEntry("path", "/v1/chat/completions").containsEntry("status", 200)
                .containsEntry("model", "chat").containsEntry("stream", true).containsEntry("channel", "b")
                .containsEntry("upstream_model", "up-chat").containsEntry("attempts", 2)
                .containsEntry("latency_ms", 900).containsEntry("ttft_ms", 250).containsEntry("end_reason", "done")
                .containsEntry("key", "laptop").containsEntry("client_ip", "10.0.0.7")
                .containsEntry("tokens", Map.of("input", 100, "output", 20, "cached_read", 30, "cache_write", 5,
                        "reasoning", 7));
        // The attempts' key suffixes are for the usage row, not the log.
        assertThat(line).doesNotContain("abcd").doesNotContain("efgh");
    }

    @Test
    void whatTheClientSentIsEscapedSoTheLineStaysOneJsonObject() {
        String model = "evil\"},\n{\"x\":\\\u0001é";
        String line = AccessLog.line(Ends.refused("/v1/chat/\"completions\"", model, ErrorKind.NOT_FOUND));
        assertThat(line).doesNotContain("\n");
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("model").asString()).isEqualTo(model);
        assertThat(json.get("path").asString()).isEqualTo("/v1/chat/\"completions\"");
    }

    @Test
    void theTimeIsUtcToTheMillisecondWhateverTheInstant() {
        for (String at : List.of("2026-12-03T10:15:30.123Z", "2026-12-03T10:15:30Z", "2026-12-03T10:15:31.007Z",
                "1999-01-01T00:00:00.999Z", "2026-12-03T10:15:30.123456789Z", "2026-12-03T10:15:30.120Z")) {
            Instant instant = Instant.parse(at);
            StringBuilder json = new StringBuilder();
            AccessLog.time(json, instant);
            assertThat(json.toString()).as(at).isEqualTo("\"" + instant.truncatedTo(ChronoUnit.MILLIS)
                    .atOffset(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX")) + "\"");
        }
    }

    @Test
    void aRefusalHasNullsWhereNothingHappened() {
        JsonNode json = JSON.readTree(AccessLog.line(Ends.refused("/v1beta/models/x:generateContent", null,
                ErrorKind.AUTHENTICATION)));
        assertThat(json.get("api").asString()).isEqualTo("gemini");
        assertThat(json.get("status").asInt()).isEqualTo(401);
        assertThat(json.get("end_reason").asString()).isEqualTo("rejected");
        assertThat(json.get("key").isNull()).isTrue();
        assertThat(json.get("channel").isNull()).isTrue();
        assertThat(json.get("ttft_ms").isNull()).isTrue();
        assertThat(json.get("client_ip").isNull()).isTrue();
    }
}
