package dev.junction.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A byte-oriented server-sent-events reader. It frames events on blank lines ({@code \n},
 * {@code \r\n} or {@code \r} line ends), joins {@code data:} lines and keeps each event's raw bytes
 * so the pass-through path can forward them untouched. Memory is bounded: an event larger than the
 * limit fails the stream instead of growing the buffer without end.
 */
public final class SseReader {

    private static final int READ_SIZE = 8192;
    private static final byte[] NO_DATA = new byte[0];

    private final InputStream in;
    private final int maxEventBytes;
    private byte[] buffer = new byte[READ_SIZE];
    private int start;
    private int end;
    private boolean eof;

    // The event being assembled: its first data line as offsets from start (they survive the
    // buffer moving), and only when there are more lines, all of them joined.
    private int dataFrom = -1;
    private int dataTo;
    private ByteArrayOutputStream lines;
    private String name;
    private boolean sawField;

    private SseReader(InputStream in, int maxEventBytes) {
        this.in = in;
        this.maxEventBytes = maxEventBytes;
    }

    public static SseReader of(InputStream in, int maxEventBytes) {
        return new SseReader(Objects.requireNonNull(in, "in"), maxEventBytes);
    }

    /**
     * The next event, or null at the end of the stream. An event cut off by the end of the stream
     * (no blank line after it) is still returned; the caller decides whether the stream was complete.
     *
     * @throws SseTooLargeException when one event exceeds the limit
     */
    public SseEvent next() throws IOException {
        int scan = start;
        // Where the search for the current line's end resumes: bytes already searched are not
        // searched again after a read, so a long line costs linear time, not quadratic.
        int searched = start;
        while (true) {
            int lineEnd = indexOfLineEnd(Math.max(scan, searched));
            int terminator = lineEnd < 0 ? -1 : terminatorLength(lineEnd);
            if (lineEnd < 0 || terminator == 0) {
                if (!eof) {
                    if (end - start > maxEventBytes) {
                        throw new SseTooLargeException(maxEventBytes);
                    }
                    int consumed = scan - start;
                    int resume = (lineEnd < 0 ? end : lineEnd) - start;
                    fill();
                    scan = start + consumed;
                    searched = start + resume;
                    continue;
                }
                if (lineEnd >= 0) {
                    terminator = 1; // a lone \r as the very last byte
                } else {
                    if (scan < end) {
                        field(scan, end); // an unterminated last line
                    }
                    return sawField ? emit(end) : null;
                }
            }
            int next = lineEnd + terminator;
            if (lineEnd == scan) {
                if (sawField) {
                    return emit(next);
                }
                start = next; // blank lines between events
            } else {
                field(scan, lineEnd);
            }
            scan = next;
        }
    }

    private void field(int from, int to) {
        sawField = true;
        if (isField(from, to, "data")) {
            int value = valueStart(from + 4, to);
            if (dataFrom < 0) {
                dataFrom = value - start;
                dataTo = to - start;
                return;
            }
            if (lines == null) {
                lines = new ByteArrayOutputStream(2 * (dataTo - dataFrom) + to - value + 16);
                lines.write(buffer, start + dataFrom, dataTo - dataFrom);
            }
            lines.write('\n');
            lines.write(buffer, value, to - value);
        } else if (isField(from, to, "event")) {
            int value = valueStart(from + 5, to);
            name = new String(buffer, value, to - value, StandardCharsets.UTF_8);
        }
    }

    private SseEvent emit(int next) {
        byte[] raw = Arrays.copyOfRange(buffer, start, next);
        boolean hasData = dataFrom >= 0;
        byte[] data = lines != null ? lines.toByteArray()
                : hasData ? Arrays.copyOfRange(raw, dataFrom, dataTo) : NO_DATA;
        SseEvent event = new SseEvent(raw, data, name, hasData);
        start = next;
        dataFrom = -1;
        lines = null;
        name = null;
        sawField = false;
        return event;
    }

    /** A field line is {@code name} alone or {@code name:value}. */
    private boolean isField(int from, int to, String field) {
        int n = field.length();
        if (to - from < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (buffer[from + i] != field.charAt(i)) {
                return false;
            }
        }
        return to - from == n || buffer[from + n] == ':';
    }

    /** Where the value starts: after the colon and one optional space. */
    private int valueStart(int afterName, int to) {
        if (afterName == to) {
            return to;
        }
        int value = afterName + 1;
        return value < to && buffer[value] == ' ' ? value + 1 : value;
    }

    private int indexOfLineEnd(int from) {
        for (int i = from; i < end; i++) {
            byte c = buffer[i];
            if (c == '\n' || c == '\r') {
                return i;
            }
        }
        return -1;
    }

    /** 1 for \n or \r, 2 for \r\n, 0 when a \r is the last byte buffered and a \n may follow. */
    private int terminatorLength(int lineEnd) {
        if (buffer[lineEnd] == '\n') {
            return 1;
        }
        if (lineEnd + 1 < end) {
            return buffer[lineEnd + 1] == '\n' ? 2 : 1;
        }
        return 0;
    }

    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (buffer.length - end < READ_SIZE / 4) {
            buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, maxEventBytes + READ_SIZE * 2));
        }
        int read = in.read(buffer, end, buffer.length - end);
        if (read < 0) {
            eof = true;
        } else {
            end += read;
        }
    }

    /** One event was larger than the configured limit. */
    public static final class SseTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        SseTooLargeException(int limit) {
            super("a server-sent event exceeded " + limit + " bytes");
        }
    }
}
