package dev.junction.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.core.TokenUsage;
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
}
