package dev.junction.protocol;

import dev.junction.core.GatewayException;
import dev.junction.http.UploadBody;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code multipart/form-data} upload (an audio file to transcribe, images to edit), spooled to a
 * temporary file as it arrives and read in one pass for its parts, never held in memory: the
 * largest thing in memory is one read buffer, a part's headers, and the text of small fields. The
 * spooled bytes are what goes upstream, with only one field's value replaced ({@link #replacing}),
 * so every other byte (files, unknown fields, the boundary) reaches the provider as the client
 * sent it, and the upload can be sent again to the next channel when the first fails.
 * {@link #close()} deletes the file.
 */
public final class MultipartUpload implements AutoCloseable {

    /** Longest value kept as text for a field without a file name. */
    static final int MAX_FIELD_BYTES = 64 << 10;
    private static final int MAX_HEADER_BYTES = 16 << 10;
    private static final int BUFFER = 64 << 10;
    private static final Pattern BOUNDARY = Pattern.compile("(?i)(?:^|;)\\s*boundary\\s*=\\s*(\"([^\"]+)\"|([^;\\s]+))");
    private static final Pattern PARAM = Pattern.compile("(?i);\\s*([a-z*]+)\\s*=\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|([^;\\s]+))");

    /**
     * One part of the form.
     *
     * @param name the field name
     * @param filename the file name, or null for a plain field
     * @param contentType the part's {@code Content-Type}, or null
     * @param start offset of its first content byte in the upload
     * @param end offset just past its last content byte
     * @param value its content as UTF-8 text for a plain field of at most {@value #MAX_FIELD_BYTES}
     *     bytes, else null
     */
    public record Part(String name, String filename, String contentType, long start, long end, String value) {

        public long size() {
            return end - start;
        }

        boolean isFile() {
            return filename != null;
        }
    }

    private final String contentType;
    private final Path file;
    private final long size;
    private final List<Part> parts;

    private MultipartUpload(String contentType, Path file, long size, List<Part> parts) {
        this.contentType = contentType;
        this.file = file;
        this.size = size;
        this.parts = Collections.unmodifiableList(parts);
    }

    /**
     * Spools and reads an upload.
     *
     * @param contentType the request's {@code Content-Type}
     * @param body the request body, read to its end
     * @param dir where the temporary file goes
     * @throws GatewayException (400) when the request is not a well-formed multipart form; any
     *     exception the body stream throws (413 past the body limit) passes through, and the file
     *     is deleted
     */
    public static MultipartUpload read(String contentType, InputStream body, Path dir) {
        String boundary = boundary(contentType);
        Path file;
        try {
            file = Files.createTempFile(dir, "junction-upload-", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a file for the upload in " + dir, e);
        }
        boolean done = false;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), BUFFER)) {
            Scanner scanner = new Scanner(boundary);
            byte[] buffer = new byte[BUFFER];
            long size = 0;
            int n;
            while ((n = body.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                scanner.feed(buffer, n);
                size += n;
            }
            List<Part> parts = scanner.finish();
            done = true;
            return new MultipartUpload(contentType, file, size, parts);
        } catch (IOException e) {
            throw GatewayException.invalidRequest("The request body could not be read: " + e.getMessage());
        } finally {
            if (!done) {
                delete(file);
            }
        }
    }

    /** The boundary of a {@code multipart/form-data} content type, or a 400 saying what to send. */
    public static String boundary(String contentType) {
        if (contentType == null || !contentType.strip().toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw GatewayException.invalidRequest("This endpoint takes a multipart/form-data body (got "
                    + (contentType == null ? "no Content-Type" : "'" + contentType + "'") + ").");
        }
        Matcher m = BOUNDARY.matcher(contentType.substring(contentType.indexOf(';') < 0 ? contentType.length()
                : contentType.indexOf(';')));
        if (!m.find()) {
            throw GatewayException.invalidRequest("The multipart/form-data Content-Type has no boundary.");
        }
        String boundary = m.group(2) != null ? m.group(2) : m.group(3);
        if (boundary.isEmpty() || boundary.length() > 200) {
            throw GatewayException.invalidRequest("The multipart boundary must be 1 to 200 characters long.");
        }
        return boundary;
    }

    public List<Part> parts() {
        return parts;
    }

    /** The first plain field of this name, or empty. */
    public Optional<Part> field(String name) {
        return parts.stream().filter(p -> p.name().equals(name) && !p.isFile()).findFirst();
    }

    /** The text of the first plain field of this name, or empty (also when it is too long to be text). */
    public Optional<String> text(String name) {
        return field(name).map(Part::value);
    }

    /** The file parts of one of these names, in order. */
    public List<Part> files(String... names) {
        List<String> wanted = List.of(names);
        return parts.stream().filter(p -> p.isFile() && wanted.contains(p.name())).toList();
    }

    /** Up to {@code max} first bytes of a part's content (a file's header). */
    public byte[] head(Part part, int max) {
        int length = (int) Math.min(max, part.size());
        try (InputStream in = range(part.start(), part.start() + length)) {
            return in.readNBytes(length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled upload", e);
        }
    }

    /** The upload's size in bytes. */
    public long size() {
        return size;
    }

    /** The upload as it came, with the content of {@code part} replaced by {@code value}. */
    public UploadBody replacing(Part part, String value) {
        byte[] middle = value.getBytes(StandardCharsets.UTF_8);
        long length = size - part.size() + middle.length;
        return new UploadBody() {
            @Override
            public String contentType() {
                return contentType;
            }

            @Override
            public long length() {
                return length;
            }

            @Override
            public InputStream open() throws IOException {
                return new SequenceInputStream(Collections.enumeration(List.of(range(0, part.start()),
                        new ByteArrayInputStream(middle), range(part.end(), size))));
            }
        };
    }

    private InputStream range(long from, long to) throws IOException {
        RandomAccessFile in = new RandomAccessFile(file.toFile(), "r");
        in.seek(from);
        return new InputStream() {
            private long left = to - from;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    @Override
    public void close() {
        delete(file);
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A temporary file left behind is not worth failing the request for.
        }
    }

    /**
     * The one-pass parser: finds each delimiter ({@code CRLF--boundary}, the first one also at the
     * very start) with a Knuth–Morris–Pratt matcher, so a delimiter split across reads is found
     * without looking back, and records where each part's content starts and ends.
     */
    private static final class Scanner {
        private enum State { PREAMBLE, AFTER_DELIMITER, PADDING, HEADERS, CONTENT, END }

        private final byte[] delimiter;
        private final int[] fail;
        private final List<Part> parts = new ArrayList<>();
        private State state = State.PREAMBLE;
        private int matched;
        /** Offset of the next byte fed (the virtual leading CRLF is at -2 and -1). */
        private long offset = -2;
        private int afterDelimiter;
        private static final int CRLF = 0x0d0a;
        private static final int CRLF_CRLF = 0x0d0a0d0a;
        /** The last four header bytes, for spotting the blank line that ends them. */
        private int lastFour;
        private final ByteArrayOutputStream headers = new ByteArrayOutputStream();
        private final ByteArrayOutputStream value = new ByteArrayOutputStream();
        private String name;
        private String filename;
        private String type;
        private long start;

        Scanner(String boundary) {
            delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            fail = new int[delimiter.length];
            for (int i = 1, k = 0; i < delimiter.length; i++) {
                while (k > 0 && delimiter[i] != delimiter[k]) {
                    k = fail[k - 1];
                }
                if (delimiter[i] == delimiter[k]) {
                    k++;
                }
                fail[i] = k;
            }
            byte[] crlf = {'\r', '\n'};
            feed(crlf, 2);
        }

        void feed(byte[] bytes, int length) {
            for (int i = 0; i < length; i++) {
                byte b = bytes[i];
                switch (state) {
                    case PREAMBLE, CONTENT -> {
                        if (state == State.CONTENT && filename == null && value.size() <= MAX_FIELD_BYTES
                                + delimiter.length) {
                            value.write(b);
                        }
                        while (matched > 0 && b != delimiter[matched]) {
                            matched = fail[matched - 1];
                        }
                        if (b == delimiter[matched]) {
                            matched++;
                        }
                        if (matched == delimiter.length) {
                            matched = 0;
                            if (state == State.CONTENT) {
                                endPart(offset + 1 - delimiter.length);
                            }
                            state = State.AFTER_DELIMITER;
                            afterDelimiter = 0;
                        }
                    }
                    case AFTER_DELIMITER -> {
                        if (afterDelimiter == 0 && b == '-') {
                            afterDelimiter = 1;
                        } else if (afterDelimiter == 1) {
                            if (b != '-') {
                                throw malformed("a boundary followed by '-' but not '--'");
                            }
                            state = State.END;
                        } else {
                            state = State.PADDING;
                            padding(b);
                        }
                    }
                    case PADDING -> padding(b);
                    case HEADERS -> {
                        headers.write(b);
                        if (headers.size() > MAX_HEADER_BYTES) {
                            throw malformed("a part's headers longer than " + MAX_HEADER_BYTES + " bytes");
                        }
                        lastFour = lastFour << 8 | (b & 0xff);
                        if (headers.size() == 2 && (lastFour & 0xffff) == CRLF
                                || headers.size() >= 4 && lastFour == CRLF_CRLF) {
                            beginPart(headers.toString(StandardCharsets.UTF_8), offset + 1);
                        }
                    }
                    case END -> {
                        // The epilogue after the closing delimiter is ignored.
                    }
                }
                offset++;
            }
        }

        private void padding(byte b) {
            if (b == '\n') {
                state = State.HEADERS;
                headers.reset();
                lastFour = 0;
            } else if (b != ' ' && b != '\t' && b != '\r') {
                throw malformed("text after a boundary on its line");
            }
        }

        private void beginPart(String text, long contentStart) {
            name = null;
            filename = null;
            type = null;
            for (String line : text.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String header = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String rest = line.substring(colon + 1).strip();
                if (header.equals("content-disposition")) {
                    Matcher m = PARAM.matcher(rest);
                    while (m.find()) {
                        String key = m.group(1).toLowerCase(Locale.ROOT);
                        String val = m.group(3) != null ? m.group(3).replaceAll("\\\\(.)", "$1") : m.group(4);
                        if (key.equals("name")) {
                            name = val;
                        } else if (key.equals("filename")) {
                            filename = val;
                        }
                    }
                } else if (header.equals("content-type")) {
                    type = rest;
                }
            }
            if (name == null) {
                throw malformed("a part without a Content-Disposition name");
            }
            start = contentStart;
            value.reset();
            state = State.CONTENT;
        }

        private void endPart(long end) {
            String text = null;
            long length = end - start;
            if (filename == null && length <= MAX_FIELD_BYTES) {
                text = new String(value.toByteArray(), 0, (int) length, StandardCharsets.UTF_8);
            }
            parts.add(new Part(name, filename, type, start, end, text));
        }

        List<Part> finish() {
            if (state != State.END) {
                throw malformed(parts.isEmpty() && state == State.PREAMBLE ? "no boundary '"
                        + new String(delimiter, 4, delimiter.length - 4, StandardCharsets.ISO_8859_1) + "' in the body"
                        : "an end before the closing boundary");
            }
            return parts;
        }

        private static GatewayException malformed(String what) {
            return GatewayException.invalidRequest("The multipart/form-data body is malformed: " + what + ".");
        }
    }
}
