package dev.junction.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The incremental count of a text that arrives in pieces is within 5 % of the tokenizer's count of
 * the whole text (in practice within a token or two), for prose, code and text without spaces,
 * while the tally never holds more than a bounded part of it.
 */
class TextTallyTest {

    private static final String PROSE = "The gateway counts what it delivered, piece by piece, without keeping "
            + "the answer. Tokens are counted at word boundaries, where the tokenizer splits anyway. ";
    private static final String CODE = "for (int i = 0; i < n; i++) {\n    sum += values[i] * weights[i];\n}\n";
    private static final String CJK = "网关逐段统计已发送的文本，而不保存整个回答。";

    @Test
    void anAnswerInRandomPiecesCountsWithinFivePercentOfTheWholeText() {
        for (String unit : new String[] {PROSE, CODE, CJK, PROSE + CODE + CJK}) {
            String whole = unit.repeat(400); // tens of kilobytes: many drains
            TextTally tally = new TextTally();
            SplittableRandom random = new SplittableRandom(7);
            int at = 0;
            while (at < whole.length()) {
                int end = Math.min(whole.length(), at + 1 + random.nextInt(24));
                tally.add(whole.substring(at, end));
                at = end;
            }
            long truth = Tokens.count(whole);
            assertThat(tally.characters()).isEqualTo(whole.length());
            assertThat(tally.tokens()).as("%s…", unit.substring(0, 10))
                    .isBetween(Math.round(truth * 0.95), Math.round(truth * 1.05));
        }
    }

    @Test
    void nothingDeliveredCountsNothing() {
        TextTally tally = new TextTally();
        tally.add("");
        tally.add(null);
        assertThat(tally.isEmpty()).isTrue();
        assertThat(tally.tokens()).isZero();
    }

    @Test
    void theTokenizerIsOpenAisO200k() {
        assertThat(Tokens.count("Hello, world!")).isEqualTo(4);
        assertThat(Tokens.count("")).isZero();
    }

    /**
     * Text given as the JSON events that carry it counts as the same text read out of them at once,
     * across the bound past which waiting events are read (many events, a few kilobytes each).
     */
    @Test
    void jsonEventsKeptUnreadCountAsTheirTextReadAtOnce() {
        java.util.Set<String> fields = java.util.Set.of("content");
        TextTally lazy = new TextTally();
        TextTally eager = new TextTally();
        for (int i = 0; i < 300; i++) {
            String piece = (i % 3 == 0 ? PROSE : i % 3 == 1 ? CODE : CJK).repeat(1 + i % 40);
            byte[] event = ("{\"choices\":[{\"delta\":{\"content\":" + tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(piece)
                    + ",\"role\":\"assistant\"}}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            lazy.addJson(event, fields);
            TextFields.collect(event, fields, eager);
        }
        lazy.addJson("{\"type\":\"ping\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), fields);
        assertThat(lazy.isEmpty()).isFalse();
        assertThat(lazy.characters()).isEqualTo(eager.characters()).isPositive();
        assertThat(lazy.tokens()).isEqualTo(eager.tokens());
        assertThat(new TextTally()).matches(TextTally::isEmpty);
    }
}
