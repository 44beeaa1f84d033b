package dev.junction.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {

    private static List<SseEvent> read(InputStream in, int max) throws IOException {
        SseReader reader = SseReader.of(in, max);
        List<SseEvent> events = new ArrayList<>();
        SseEvent event;
        while ((event = reader.next()) != null) {
            events.add(event);
        }
        return events;
    }

    private static List<SseEvent> read(String text) throws IOException {
        return read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 1 << 20);
    }

    /** Yields one byte per read: every boundary case of buffering at once. */
    private static InputStream trickle(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new InputStream() {
            int i;

            @Override
            public int read() {
                return i < bytes.length ? bytes[i++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (i >= bytes.length) {
                    return -1;
                }
                b[off] = bytes[i++];
                return 1;
            }
        };
    }

    private static String data(SseEvent e) {
        return new String(e.data(), StandardCharsets.UTF_8);
    }

    @Test
    void framesEventsAndKeepsTheirRawBytes() throws IOException {
        String wire = "data: {\"a\":1}\n\nevent: message_start\ndata: {\"b\":2}\n\n: keep-alive\n\ndata: [DONE]\n\n";
        List<SseEvent> events = read(wire);
        assertThat(events).hasSize(4);
        assertThat(data(events.get(0))).isEqualTo("{\"a\":1}");
        assertThat(events.get(1).name()).isEqualTo("message_start");
        assertThat(events.get(2).hasData()).isFalse();
        assertThat(data(events.get(3))).isEqualTo("[DONE]");
        StringBuilder raw = new StringBuilder();
        events.forEach(e -> raw.append(new String(e.raw(), StandardCharsets.UTF_8)));
        assertThat(raw).hasToString(wire);
    }

    @Test
    void handlesEveryLineEndingAndByteAtATimeInput() throws IOException {
        String wire = "data:x\r\n\r\ndata: multi\r\ndata: line\r\rdata: cr\n\n";
        List<SseEvent> events = read(trickle(wire), 1 << 20);
        assertThat(events).extracting(SseReaderTest::data).containsExactly("x", "multi\nline", "cr");
    }

    @Test
    void returnsAnUnterminatedLastEvent() throws IOException {
        assertThat(read("data: one\n\ndata: two")).extracting(SseReaderTest::data).containsExactly("one", "two");
        assertThat(read("data: one\n\n\n\n")).hasSize(1);
        assertThat(read("")).isEmpty();
    }

    @Test
    void boundsMemoryForHugeEvents() {
        String huge = "data: " + "x".repeat(100_000) + "\n\n";
        assertThatThrownBy(() -> read(new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8)), 10_000))
                .isInstanceOf(SseReader.SseTooLargeException.class);
    }

    @Test
    void readsLargeEventsBelowTheLimit() throws IOException {
        String big = "y".repeat(200_000);
        List<SseEvent> events = read(new ByteArrayInputStream(("data: " + big + "\n\ndata: z\n\n")
                .getBytes(StandardCharsets.UTF_8)), 1 << 20);
        assertThat(events).extracting(SseReaderTest::data).containsExactly(big, "z");
    }
}
