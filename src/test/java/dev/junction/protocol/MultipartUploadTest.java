package dev.junction.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.core.GatewayException;
import dev.junction.http.UploadBody;
import dev.junction.testing.Multipart;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upload spool and its one-pass multipart parser. */
class MultipartUploadTest {

    @TempDir
    Path dir;

    /** A stream that hands out at most {@code step} bytes per read, so delimiters straddle reads. */
    private static InputStream trickle(byte[] bytes, int step) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, step));
            }
        };
    }

    private static byte[] all(UploadBody body) throws IOException {
        try (InputStream in = body.open()) {
            return in.readAllBytes();
        }
    }

    @Test
    void partsAreFoundWhereverTheReadsSplitTheDelimitersAndOnlyTheModelIsReplaced() throws Exception {
        byte[] file = new byte[200_000];
        new Random(3).nextBytes(file);
        // A file whose bytes look like a delimiter's start, and a boundary-like line inside a field.
        System.arraycopy("\r\n--JunctionTestBoundar".getBytes(StandardCharsets.US_ASCII), 0, file, 1000, 23);
        Multipart form = new Multipart().field("model", "small").field("note", "line\r\n--Junction")
                .file("file", "a b\\\"c.mp3", "audio/mpeg", file).field("language", "fr");
        byte[] bytes = form.bytes();
        for (int step : new int[] {1, 7, 64 << 10}) {
            try (MultipartUpload upload = MultipartUpload.read(form.contentType(), trickle(bytes, step), dir)) {
                assertThat(upload.parts()).extracting(MultipartUpload.Part::name)
                        .containsExactly("model", "note", "file", "language");
                assertThat(upload.text("model")).hasValue("small");
                assertThat(upload.text("note")).hasValue("line\r\n--Junction");
                assertThat(upload.text("language")).hasValue("fr");
                MultipartUpload.Part part = upload.files("file").getFirst();
                assertThat(part.filename()).isEqualTo("a b\"c.mp3");
                assertThat(part.contentType()).isEqualTo("audio/mpeg");
                assertThat(part.size()).isEqualTo(file.length);
                UploadBody body = upload.replacing(upload.field("model").orElseThrow(), "whisper-1");
                byte[] sent = all(body);
                assertThat(sent).hasSize((int) body.length());
                assertThat(new String(sent, StandardCharsets.ISO_8859_1)).isEqualTo(new String(bytes,
                        StandardCharsets.ISO_8859_1).replaceFirst("\r\n\r\nsmall\r\n", "\r\n\r\nwhisper-1\r\n"));
                assertThat(all(body)).isEqualTo(sent); // opened again for the next channel
            }
        }
    }

    @Test
    void theSpoolFileIsDeletedOnCloseAndOnAFailedRead() throws Exception {
        Multipart form = new Multipart().field("model", "m");
        try (MultipartUpload upload = MultipartUpload.read(form.contentType(),
                new ByteArrayInputStream(form.bytes()), dir)) {
            try (var files = Files.list(dir)) {
                assertThat(files.count()).isEqualTo(1);
            }
        }
        assertThatThrownBy(() -> MultipartUpload.read(form.contentType(), new ByteArrayInputStream(
                "--x\r\n".getBytes(StandardCharsets.US_ASCII)), dir)).isInstanceOf(GatewayException.class);
        InputStream tooLarge = new InputStream() {
            @Override
            public int read() {
                throw GatewayException.of(dev.junction.core.ErrorKind.PAYLOAD_TOO_LARGE, "too large");
            }
        };
        assertThatThrownBy(() -> MultipartUpload.read(form.contentType(), tooLarge, dir))
                .isInstanceOf(GatewayException.class).hasMessage("too large");
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isZero();
        }
    }

    @Test
    void contentTypesAndBodiesThatAreNotMultipartFormsAreTheClientsToFix() {
        assertThat(MultipartUpload.boundary("multipart/form-data; boundary=\"a b\"")).isEqualTo("a b");
        assertThat(MultipartUpload.boundary("Multipart/Form-Data;charset=utf-8;boundary=xyz")).isEqualTo("xyz");
        for (String type : new String[] {null, "application/json", "multipart/form-data", "multipart/mixed; "
                + "boundary=x"}) {
            assertThatThrownBy(() -> MultipartUpload.boundary(type)).isInstanceOf(GatewayException.class);
        }
        for (String body : new String[] {"", "no boundary here", "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--",
                "--b\r\nContent-Disposition: form-data; name=\"m\"\r\n\r\nunterminated"}) {
            assertThatThrownBy(() -> MultipartUpload.read("multipart/form-data; boundary=b", new ByteArrayInputStream(
                    body.getBytes(StandardCharsets.UTF_8)), dir)).as(body).isInstanceOf(GatewayException.class)
                    .hasMessageContaining("malformed");
        }
    }
}
