package dev.junction.protocol.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.http.SseEvent;
import dev.junction.http.SseReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The in-band error ending a broken Gemini stream: a bare JSON error object (what the JS SDK reads as
 * an error) and then the same object as an SSE event (what the Java SDK and SSE clients read).
 */
class GeminiStreamErrorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theErrorIsABareJsonLineAndThenOneSseEvent() throws Exception {
        byte[] bytes = GeminiErrors.streamEvent("The upstream stream broke.");
        String text = new String(bytes, StandardCharsets.UTF_8);
        String[] parts = text.split("\n\n", -1);

        assertThat(parts).hasSize(3);
        JsonNode bare = JSON.readTree(parts[0]);
        assertThat(bare.at("/error/code").asInt()).isEqualTo(500);
        assertThat(bare.at("/error/status").asString()).isEqualTo("INTERNAL");
        assertThat(bare.at("/error/message").asString()).isEqualTo("The upstream stream broke.");
        assertThat(parts[1]).isEqualTo("data: " + parts[0]);
        assertThat(parts[2]).isEmpty();

        SseReader reader = SseReader.of(new ByteArrayInputStream(bytes), 1 << 16);
        assertThat(reader.next().hasData()).as("the bare line is no SSE data").isFalse();
        SseEvent event = reader.next();
        assertThat(event.hasData()).isTrue();
        assertThat(JSON.readTree(event.data())).isEqualTo(bare);
        assertThat(reader.next()).isNull();
    }
}
