package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.FakeMedia;
import dev.junction.testing.Multipart;
import dev.junction.testing.TestGateway;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * A 100 MB upload goes through the gateway without being held in memory: it is spooled to disk
 * and streamed to the provider, and while the provider sits on it (not reading, so the gateway is
 * blocked mid-send with the whole upload received) the heap holds a small fraction of it. An upload
 * over {@code max_body_size} is refused with 413 before any provider is asked.
 */
class UploadMemoryTest {

    private static final long SIZE = 100L << 20;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    private FakeMedia fake;
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private void start(String maxBody) throws Exception {
        fake = FakeMedia.start("sk-up", Files.createDirectories(dir.resolve("fake-files")));
        gateway = TestGateway.start(dir, "max_body_size: " + maxBody + "\nchannels:\n"
                + MediaEndpointsTest.mediaChannel("up", fake, "sk-up", "{stt: whisper-1}", 0));
    }

    /** {@code size} deterministic bytes, produced as they are read. */
    private static InputStream pattern(long size) {
        return new InputStream() {
            private long at;

            @Override
            public int read() {
                return at < size ? (int) (at++ * 131 % 251) : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - at);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) (at++ * 131 % 251);
                }
                return n;
            }
        };
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            sha.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private CompletableFuture<HttpResponse<String>> send(long fileSize) {
        return send(fileSize, true);
    }

    /** @param declared whether the length goes in {@code Content-Length} (else the body is chunked) */
    private CompletableFuture<HttpResponse<String>> send(long fileSize, boolean declared) {
        Multipart form = new Multipart().field("model", "stt");
        byte[] head = form.head("file", "long.wav", "audio/wav");
        byte[] fields = new Multipart().field("model", "stt").bytes();
        byte[] before = new byte[fields.length - form.end().length + head.length];
        System.arraycopy(fields, 0, before, 0, fields.length - form.end().length);
        System.arraycopy(head, 0, before, fields.length - form.end().length, head.length);
        byte[] after = ("\r\n" + new String(form.end(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        long length = before.length + fileSize + after.length;
        HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
                Collections.enumeration(List.of(new ByteArrayInputStream(before), pattern(fileSize),
                        new ByteArrayInputStream(after)))));
        HttpRequest.BodyPublisher body = declared ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/audio/transcriptions"))
                .timeout(Duration.ofMinutes(5)).header("Authorization", "Bearer " + TestGateway.KEY)
                .header("Content-Type", form.contentType()).POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long heapAfterGc() throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    /** The heap pools that large arrays land in directly (G1's humongous regions are old gen): not eden or survivor. */
    private static List<java.lang.management.MemoryPoolMXBean> tenured() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP)
                .filter(pool -> !pool.getName().contains("Eden") && !pool.getName().contains("Survivor")).toList();
    }

    @Test
    void aHundredMegabyteUploadIsSpooledAndStreamedNotHeldInMemory() throws Exception {
        start("128MiB");
        long before = heapAfterGc();
        long tenuredBefore = tenured().stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
        tenured().forEach(java.lang.management.MemoryPoolMXBean::resetPeakUsage);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch arrived = fake.holdNextUpload(release);
        CompletableFuture<HttpResponse<String>> response = send(SIZE);
        assertThat(arrived.await(3, TimeUnit.MINUTES)).as("the upload reached the provider").isTrue();
        // The whole upload has reached the gateway (it sends only what it has spooled), and the
        // provider is not reading: whatever the gateway holds of it is on the heap now.
        long peak = tenured().stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        long during = heapAfterGc();
        release.countDown();
        HttpResponse<String> answer = response.get(3, TimeUnit.MINUTES);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(JsonMapper.builder().build().readTree(answer.body()).get("text").asString())
                .isEqualTo("hello from the fake");
        FakeMedia.FilePart file = fake.last().files().getFirst();
        assertThat(file.size()).isEqualTo(SIZE);
        assertThat(file.sha256()).isEqualTo(sha256(pattern(SIZE)));
        assertThat(fake.last().fields()).containsEntry("model", "whisper-1");
        long grown = during - before;
        System.out.printf("heap after GC: %d MiB before, %d MiB with a 100 MiB upload in flight (%+d MiB)%n",
                before >> 20, during >> 20, grown >> 20);
        assertThat(grown).as("heap growth while a 100 MiB upload is in flight").isLessThan(24L << 20);
        // A transient copy (a 100 MiB array read and dropped) would show here: arrays this large are
        // allocated straight into the old generation, whose peak covers the whole upload.
        System.out.printf("old generation peak during the upload: %+d MiB%n", (peak - tenuredBefore) >> 20);
        assertThat(peak - tenuredBefore).as("old generation peak while receiving and spooling").isLessThan(48L << 20);
    }

    @Test
    void anUploadOverMaxBodySizeIsRefusedWith413() throws Exception {
        start("1MiB");
        for (boolean declared : new boolean[] {true, false}) {
            HttpResponse<String> answer = send(2L << 20, declared).get(1, TimeUnit.MINUTES);
            assertThat(answer.statusCode()).as("declared length: " + declared).isEqualTo(413);
            assertThat(answer.body()).contains("\"error\"").contains("larger than the gateway's limit");
        }
        assertThat(fake.requestCount()).isZero();
        HttpResponse<String> small = send(100_000, false).get(1, TimeUnit.MINUTES);
        assertThat(small.statusCode()).as(small.body()).isEqualTo(200);
    }

    /**
     * A client still sending its body when the 413 is sent gets the 413, not a reset: the gateway
     * reads and drops the rest for a while before it closes. Closed with the body's bytes unread,
     * the connection was reset, and the reset discards the answer the client had not read yet.
     */
    @Test
    void aClientStillSendingItsBodyReadsThe413() throws Exception {
        start("1MiB");
        URI base = URI.create(gateway.baseUrl());
        Multipart form = new Multipart().field("model", "stt");
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("POST /v1/audio/transcriptions HTTP/1.1\r\nHost: " + base.getHost() + "\r\nAuthorization: Bearer "
                    + TestGateway.KEY + "\r\nContent-Type: " + form.contentType() + "\r\nContent-Length: " + (4L << 20)
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] part = new byte[256 << 10];
            for (int i = 0; i < 8; i++) { // 2 MiB, past the limit: the 413 is on its way
                out.write(part);
            }
            out.flush();
            Thread.sleep(300); // the gateway has answered, and (before) closed with bytes unread
            for (int i = 0; i < 4; i++) {
                out.write(part);
            }
            out.flush();
            String head = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(head).isEqualTo("HTTP/1.1 413");
        }
        assertThat(fake.requestCount()).isZero();
    }
}
