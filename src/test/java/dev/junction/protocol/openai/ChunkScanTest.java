package dev.junction.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.core.TokenUsage;
import dev.junction.protocol.JsonMutations;
import dev.junction.protocol.JsonTrees;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkScanTest {

    private static ChunkScan scan(String json) {
        return ChunkScan.of(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void roleOnlyChunkIsNotContent() {
        ChunkScan scan = scan("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"finish_reason\":null}],\"usage\":null}");
        assertThat(scan.hasContent()).isFalse();
        assertThat(scan.usage()).isNull();
        assertThat(scan.finished()).isFalse();
    }

    @Test
    void textToolCallsReasoningAndFinishAreContent() {
        assertThat(scan("{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}").hasContent()).isTrue();
        assertThat(scan("{\"choices\":[{\"delta\":{\"reasoning_content\":\"hmm\"}}]}").hasContent()).isTrue();
        assertThat(scan("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0}]}}]}").hasContent()).isTrue();
        assertThat(scan("{\"choices\":[{\"delta\":{\"tool_calls\":[]}}]}").hasContent()).isFalse();
        ChunkScan finish = scan("{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}");
        assertThat(finish.hasContent()).isTrue();
        assertThat(finish.finished()).isTrue();
    }

    @Test
    void readsUsageAndTheUsageOnlyChunk() {
        ChunkScan scan = scan("{\"id\":\"x\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,"
                + "\"total_tokens\":17,\"prompt_tokens_details\":{\"cached_tokens\":3}}}");
        assertThat(scan.usage()).isEqualTo(new TokenUsage(12, 5, 3, 0, 0));
        assertThat(scan.choicesEmpty()).isTrue();
        assertThat(scan.hasContent()).isFalse();
    }

    @Test
    void readsAWholeCompletion() {
        ChunkScan scan = scan("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}");
        assertThat(scan.hasContent()).isTrue();
        assertThat(scan.usage()).isEqualTo(new TokenUsage(1, 2, 0, 0, 0));
    }

    @Test
    void spotsErrorsAndMalformedJson() {
        assertThat(scan("{\"error\":{\"message\":\"boom\"}}").error()).isTrue();
        assertThatThrownBy(() -> scan("{\"choices\":[{\"delta\":")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> scan("<html>")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> scan("\"text\"")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recognisesDone() {
        assertThat(ChunkScan.isDone("[DONE]".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(ChunkScan.isDone("[DONE] ".getBytes(StandardCharsets.US_ASCII))).isFalse();
    }

    @Test
    void readsEveryTokenDetailAsTheTranslatedPathDoes() {
        String[] usages = {
            // OpenAI: cached reads and reasoning inside the totals
            "{\"prompt_tokens\":100,\"completion_tokens\":40,\"prompt_tokens_details\":{\"cached_tokens\":60,"
                    + "\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":25}}",
            // a provider that reports cache writes too
            "{\"prompt_tokens\":100,\"completion_tokens\":4,\"prompt_tokens_details\":{\"cached_tokens\":10,"
                    + "\"cache_creation_tokens\":30}}",
            // DeepSeek
            "{\"prompt_tokens\":50,\"completion_tokens\":5,\"prompt_cache_hit_tokens\":32,"
                    + "\"prompt_cache_miss_tokens\":18}",
            // Moonshot
            "{\"prompt_tokens\":5,\"completion_tokens\":1,\"cached_tokens\":2}",
            // details given as null
            "{\"prompt_tokens\":7,\"completion_tokens\":1,\"prompt_tokens_details\":null,"
                    + "\"completion_tokens_details\":null}",
        };
        for (String usage : usages) {
            TokenUsage scanned = scan("{\"choices\":[],\"usage\":" + usage + "}").usage();
            assertThat(scanned).as(usage).isEqualTo(ChatUsage.read(JsonTrees.object(usage.getBytes(StandardCharsets.UTF_8))).tokens());
        }
        assertThat(scan("{\"choices\":[],\"usage\":" + usages[0] + "}").usage())
                .isEqualTo(new TokenUsage(100, 40, 60, 0, 25));
        assertThat(scan("{\"choices\":[],\"usage\":" + usages[1] + "}").usage())
                .isEqualTo(new TokenUsage(100, 4, 10, 30, 0));
        assertThat(scan("{\"choices\":[],\"usage\":" + usages[2] + "}").usage())
                .isEqualTo(new TokenUsage(50, 5, 32, 0, 0));
    }

    /** What providers send, each of which the quick scan must read itself, as Jackson does. */
    private static final String[] SENT = {
        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\"gpt-4o\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}",
        "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello \\\"quoted\\\" \\u00e9\\n\"},"
                + "\"finish_reason\":null}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"你好，世界 😀\"}}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"让我想想\",\"content\":null}}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
                + "\"{\\\"city\\\": \\\"Paris\\\"}\"}}]}}]}",
        "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
        "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":3,\"audio_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":2,\"accepted_prediction_tokens\":0}}}",
        "{\"choices\":[{\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":50,"
                + "\"completion_tokens\":5,\"prompt_cache_hit_tokens\":32,\"prompt_cache_miss_tokens\":18}}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"usage\":{\"prompt_tokens\":5,"
                + "\"completion_tokens\":1,\"cached_tokens\":2}}],\"usage\":{\"prompt_tokens\":5,"
                + "\"completion_tokens\":1,\"cached_tokens\":2}}",
        "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":429}}",
        "{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion\",\"created\":1764000000,\"model\":\"m\",\"choices\":"
                + "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},\"logprobs\":null,"
                + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,"
                + "\"total_tokens\":12},\"system_fingerprint\":\"fp_1\",\"service_tier\":\"default\"}",
        " {\n  \"choices\" : [ {\n   \"delta\" : { \"content\" : \"pretty\" } , \"score\" : -1.5e-3 } ] ,\r\n"
                + "\t\"x\" : [ true , false , null , 0 , -0 , [ ] , { } ] }\n",
        "{\"choices\":[{\"delta\":{\"audio\":{\"id\":\"a\",\"data\":\"AAA=\"}}}]}",
        "{}",
    };

    @Test
    void theQuickScanReadsWhatProvidersSendAsJacksonDoes() {
        for (String json : SENT) {
            assertThat(ChunkScanAgreement.check(json.getBytes(StandardCharsets.UTF_8))).as(json).isTrue();
        }
        assertThat(scan(SENT[2]).hasContent()).isTrue();
        assertThat(scan(SENT[4]).toolCalls()).isTrue();
        assertThat(scan(SENT[7]).usage()).isEqualTo(new TokenUsage(12, 5, 3, 0, 2));
    }

    @Test
    void theQuickScanLeavesToJacksonWhatItDoesNotReadItself() {
        String[] left = {
            "{\"us\\u0061ge\":{\"prompt_tokens\":1}}", // an escaped name
            "{\"usage\":{\"prompt_tokens\":12345678901234567890}}", // a count past a long
            "{\"choices\":[1,{\"delta\":{\"content\":\"x\"}}]}", // a choice that is not an object
            "\uFEFF{\"choices\":[]}", // a byte order mark
            "{\"a\":\"\u0001\"}", // a raw control character
            "{\"a\":01}", "{\"a\":1.}", "{\"a\":-}", "{\"a\":tru}", "{\"a\":1,}", "{\"a\":1} x", "[1]", "", " ",
            "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}", "{\"a\"1}", "{\"a\":\"unterminated}",
            "{\"choices\":[{\"delta\":{\"content\":1\"x\"}}]}", "{\"choices\":[{\"delta\":{\"content\":\"a\"\"b\"}}]}",
            "{\"a\":" + "[".repeat(dev.junction.protocol.PlainJson.MAX_DEPTH + 1) + "]".repeat(dev.junction.protocol.PlainJson.MAX_DEPTH + 1) + "}",
        };
        for (String json : left) {
            assertThat(QuickScan.of(json.getBytes(StandardCharsets.UTF_8), 0, json.getBytes(StandardCharsets.UTF_8).length))
                    .as(json).isNull();
        }
        // invalid UTF-8: a stray continuation byte, an overlong form, a surrogate, past U+10FFFF, cut short
        for (int[] bad : new int[][] {{0x80}, {0xC0, 0xAF}, {0xE0, 0x80, 0xAF}, {0xED, 0xA0, 0x80},
                {0xF4, 0x90, 0x80, 0x80}, {0xE4, 0xBD}, {0xFF}}) {
            byte[] json = new byte[9 + bad.length];
            byte[] head = "{\"a\":\"".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(head, 0, json, 0, head.length);
            for (int i = 0; i < bad.length; i++) {
                json[head.length + i] = (byte) bad[i];
            }
            json[json.length - 3] = '"';
            json[json.length - 2] = '}';
            json[json.length - 1] = ' ';
            assertThat(QuickScan.of(json, 0, json.length)).isNull();
            ChunkScanAgreement.check(json);
        }
    }

    @Test
    void theQuickScanReadsOnlyItsSliceOfTheArray() {
        byte[] doc = SENT[7].getBytes(StandardCharsets.UTF_8);
        byte[] framed = new byte[doc.length + 20];
        java.util.Arrays.fill(framed, (byte) '}');
        System.arraycopy(doc, 0, framed, 10, doc.length);
        assertThat(QuickScan.of(framed, 10, doc.length)).isEqualTo(ChunkScan.parse(doc, 0, doc.length));
        // cut one byte short, with the missing brace right after the slice: not complete
        assertThat(QuickScan.of(framed, 10, doc.length - 1)).isNull();
        assertThatThrownBy(() -> ChunkScan.of(framed, 10, doc.length - 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Generated chunks, most of them mutated (bytes deleted, inserted, replaced, cut): wherever the
     * quick scan answers, Jackson reads the same, and the quick scan answers for most intact ones.
     */
    @Test
    void theQuickScanAgreesWithJacksonOnGeneratedAndMutatedChunks() {
        java.util.Random random = new java.util.Random(20261205);
        int intact = 0;
        int intactQuick = 0;
        for (int i = 0; i < 40_000; i++) {
            StringBuilder json = new StringBuilder();
            Generator.document(random, json);
            byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
            int mutations = random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                bytes = JsonMutations.mutate(random, bytes);
            }
            boolean quick = ChunkScanAgreement.check(bytes);
            if (mutations == 0) {
                intact++;
                intactQuick += quick ? 1 : 0;
            }
        }
        assertThat(intactQuick).as("intact chunks the quick scan read itself").isGreaterThan(intact * 8 / 10);
    }

    /** Chunk-shaped JSON from the names the scan looks for, with values of every kind. */
    private static final class Generator {
        private static final String[] TOP = {"id", "object", "usage", "usage", "choices", "choices", "choices", "error",
            "model", "x"};
        private static final String[] CHOICE = {"index", "delta", "delta", "message", "finish_reason", "logprobs",
            "usage"};
        private static final String[] DELTA = {"content", "content", "reasoning_content", "reasoning", "refusal",
            "tool_calls", "function_call", "audio", "role"};
        private static final String[] USAGE = {"prompt_tokens", "completion_tokens", "prompt_cache_hit_tokens",
            "cached_tokens", "prompt_tokens_details", "completion_tokens_details", "cache_creation_tokens",
            "reasoning_tokens", "total_tokens"};
        private static final String[] STRINGS = {"", "hi", "你好", "😀", "a\\\"b", "\\u00e9", "\\n", "x\\ty", "\\\\",
            "\\/", "\\ud83d\\ude00", "\\ud800"};
        private static final String[] NUMBERS = {"0", "-0", "12", "-5", "1.5", "1e3", "-2.5E-2", "9223372036854775807",
            "123456789012345678", "1234567890123456789", "12345678901234567890", "0.0"};
        private static final String[] NAMES_ODD = {"us\\u0061ge", "", "ü", "content "};

        static void document(java.util.Random r, StringBuilder json) {
            object(r, json, TOP, 0);
        }

        private static void object(java.util.Random r, StringBuilder json, String[] names, int depth) {
            json.append('{');
            int members = r.nextInt(5);
            for (int i = 0; i < members; i++) {
                if (i > 0) {
                    json.append(',');
                }
                space(r, json);
                String name = r.nextInt(40) == 0 ? NAMES_ODD[r.nextInt(NAMES_ODD.length)] : names[r.nextInt(names.length)];
                json.append('"').append(name).append('"');
                space(r, json);
                json.append(':');
                space(r, json);
                member(r, json, name, depth + 1);
                space(r, json);
            }
            json.append('}');
        }

        private static void member(java.util.Random r, StringBuilder json, String name, int depth) {
            int kind = r.nextInt(10);
            if (depth > 6 || kind < 3) {
                value(r, json, depth);
                return;
            }
            switch (name) {
                case "choices" -> array(r, json, () -> object(r, json, CHOICE, depth + 1));
                case "delta", "message" -> object(r, json, DELTA, depth);
                case "usage", "prompt_tokens_details", "completion_tokens_details" -> object(r, json, USAGE, depth);
                case "tool_calls", "content" -> array(r, json, () -> value(r, json, depth + 1));
                default -> value(r, json, depth);
            }
        }

        private static void array(java.util.Random r, StringBuilder json, Runnable item) {
            json.append('[');
            int items = r.nextInt(3);
            for (int i = 0; i < items; i++) {
                if (i > 0) {
                    json.append(',');
                }
                item.run();
            }
            json.append(']');
        }

        private static void value(java.util.Random r, StringBuilder json, int depth) {
            switch (r.nextInt(depth > 6 ? 6 : 8)) {
                case 0, 1 -> json.append('"').append(STRINGS[r.nextInt(STRINGS.length)]).append('"');
                case 2, 3 -> json.append(NUMBERS[r.nextInt(NUMBERS.length)]);
                case 4 -> json.append(r.nextBoolean() ? "true" : "false");
                case 5 -> json.append("null");
                case 6 -> array(r, json, () -> value(r, json, depth + 1));
                default -> object(r, json, USAGE, depth);
            }
        }

        private static void space(java.util.Random r, StringBuilder json) {
            if (r.nextInt(8) == 0) {
                json.append(" \n\t\r".charAt(r.nextInt(4)));
            }
        }
    }
}
