package dev.junction.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.core.TokenUsage;
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
        assertThat(scan.usage()).isEqualTo(new TokenUsage(12, 5));
        assertThat(scan.choicesEmpty()).isTrue();
        assertThat(scan.hasContent()).isFalse();
    }

    @Test
    void readsAWholeCompletion() {
        ChunkScan scan = scan("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}");
        assertThat(scan.hasContent()).isTrue();
        assertThat(scan.usage()).isEqualTo(new TokenUsage(1, 2));
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
}
