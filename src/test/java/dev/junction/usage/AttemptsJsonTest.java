package dev.junction.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.Attempt;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The attempts column is JSON written by hand: it must parse back to what was attempted, whatever the names hold. */
class AttemptsJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void attemptsParseBackExactlyWithQuotesControlCharactersAndNonAscii() {
        List<Attempt> attempts = List.of(new Attempt("zhipu \"cn\" \\ 智谱", "ab\u0001c", 429, "HTTP 429 (rate\nlimited)", 12),
                new Attempt("openai", null, 200, "ok", 8_000_000_000L), new Attempt("\ud83d\ude00 emoji", "</x>", 0, null, 0));

        JsonNode parsed = JSON.readTree(StagedBatch.attemptsJson(attempts));

        assertThat(parsed.size()).isEqualTo(3);
        for (int i = 0; i < attempts.size(); i++) {
            Attempt a = attempts.get(i);
            JsonNode n = parsed.get(i);
            assertThat(n.propertyNames()).containsExactly("channel", "key", "status", "outcome", "ms");
            assertThat(n.get("channel").isNull() ? null : n.get("channel").asString()).isEqualTo(a.channel());
            assertThat(n.get("key").isNull() ? null : n.get("key").asString()).isEqualTo(a.keySuffix());
            assertThat(n.get("status").asInt()).isEqualTo(a.status());
            assertThat(n.get("outcome").isNull() ? null : n.get("outcome").asString()).isEqualTo(a.outcome());
            assertThat(n.get("ms").asLong()).isEqualTo(a.millis());
        }
    }

    @Test
    void noAttemptsIsAnEmptyArray() {
        assertThat(StagedBatch.attemptsJson(List.of())).isEqualTo("[]");
    }
}
