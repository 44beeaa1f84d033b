package dev.junction.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link JsonOut} writes strings byte for byte as the Jackson generator does. */
class JsonOutTest {

    private static String jackson(String value) {
        return new String(JsonTrees.MAPPER.writeValueAsBytes(value), StandardCharsets.UTF_8);
    }

    private static String out(String value) {
        return new String(new JsonOut(4).string(value).toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void escapesAsJacksonDoes() {
        String[] samples = {"", "plain", "quote \" and backslash \\ and slash /", "\b\t\n\f\r", "\u0000\u0001\u001f\u007f",
            "é ü ß", "中文 text", "emoji \uD83D\uDE00 and \uD83C\uDF89", "lone \uD800 high", "lone \uDC00 low",
            "\uDC00\uD800 reversed", "line \u2028 separator", "\uFFFF", "end high \uD83D"};
        for (String sample : samples) {
            assertThat(out(sample)).as(sample).isEqualTo(jackson(sample));
        }
    }

    @Test
    void randomTextMatchesJackson() {
        Random random = new Random(7);
        for (int n = 0; n < 2_000; n++) {
            char[] chars = new char[random.nextInt(40)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = switch (random.nextInt(5)) {
                    case 0 -> (char) random.nextInt(0x80);
                    case 1 -> (char) random.nextInt(0x800);
                    case 2 -> (char) (0xD800 + random.nextInt(0x800)); // surrogates, paired or not
                    default -> (char) random.nextInt(0x10000);
                };
            }
            String sample = new String(chars);
            assertThat(out(sample)).isEqualTo(jackson(sample));
        }
    }

    @Test
    void writesNumbersNullAndRaw() {
        JsonOut out = new JsonOut(1).raw(JsonOut.ascii("[")).number(0).raw(JsonOut.ascii(",")).number(42)
                .raw(JsonOut.ascii(",")).number(-7).raw(JsonOut.ascii(",")).number(Long.MAX_VALUE)
                .raw(JsonOut.ascii(",")).string(null).raw(JsonOut.ascii("]"));
        assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII))
                .isEqualTo("[0,42,-7," + Long.MAX_VALUE + ",null]");
        assertThat(out.reset().size()).isZero();
        out.markup("event: x\n").raw(new byte[] {'a', '{', '}', 'b'}, 1, 2);
        assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII)).isEqualTo("event: x\n{}");
    }
}
