package dev.junction.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.junction.http.SseEvent;
import dev.junction.http.SseReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The upstream event-stream reader over any bytes arriving in any pieces: it returns events or
 * refuses an oversized one with {@link SseReader.SseTooLargeException}, and how the bytes were split
 * never changes the events.
 */
class SseReaderFuzzTest {

    private static final int NO_LIMIT = 1 << 20;

    @FuzzTest
    void eventsDoNotDependOnHowTheBytesArrive(byte[] stream) throws IOException {
        check(stream);
    }

    /**
     * Reads {@code stream} whole and in pieces whose sizes (and a small event limit, now and then)
     * follow from the bytes themselves, so every input replays exactly.
     */
    static void check(byte[] stream) throws IOException {
        SplittableRandom random = new SplittableRandom(Arrays.hashCode(stream));
        int limit = random.nextInt(4) == 0 ? random.nextInt(512) : NO_LIMIT;
        int[] pieces = random.ints(random.nextInt(33), 1, 64).toArray();

        List<String> whole = events(new ByteArrayInputStream(stream), limit, stream.length);
        List<String> split = events(new Pieces(stream, pieces), limit, stream.length);
        if (limit == NO_LIMIT) {
            assertThat(split).isEqualTo(whole);
        }
    }

    /** The events as comparable text, ending with "too large" when the reader refused one. */
    private static List<String> events(InputStream in, int limit, int length) throws IOException {
        SseReader reader = SseReader.of(in, limit);
        List<String> events = new ArrayList<>();
        try {
            SseEvent event;
            while ((event = reader.next()) != null) {
                events.add(Arrays.toString(event.raw()) + "|" + Arrays.toString(event.data()) + "|" + event.name()
                        + "|" + event.hasData());
                if (events.size() > length) {
                    throw new AssertionError("more events than bytes: the reader does not advance");
                }
            }
        } catch (SseReader.SseTooLargeException e) {
            events.add("too large");
        }
        return events;
    }

    /** Hands out the stream in the given piece sizes, then the rest as asked. */
    private static final class Pieces extends InputStream {
        private final byte[] bytes;
        private final int[] sizes;
        private int at;
        private int piece;

        Pieces(byte[] bytes, int[] sizes) {
            this.bytes = bytes;
            this.sizes = sizes;
        }

        @Override
        public int read() {
            return at < bytes.length ? bytes[at++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at >= bytes.length) {
                return -1;
            }
            int size = piece < sizes.length ? sizes[piece++] : len;
            int n = Math.min(Math.min(size, len), bytes.length - at);
            System.arraycopy(bytes, at, b, off, n);
            at += n;
            return n;
        }
    }
}
