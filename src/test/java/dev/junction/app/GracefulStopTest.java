package dev.junction.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop under traffic: new requests are refused at once, streams that finish within the grace
 * period finish normally, the rest end with the in-band error event (not a reset), and every
 * request's usage row is written before the stop returns.
 */
class GracefulStopTest {

    @TempDir
    Path dir;

    /** What one streaming client saw. */
    private record Seen(String text, IOException failure) {
    }

    @Test
    void aStopFinishesShortStreamsEndsLongOnesInBandAndRefusesNewRequests() throws Exception {
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            fake.always(new FakeOpenAi.Scripted(body -> body.toString().contains("short")
                    ? new FakeOpenAi.SlowStream(List.of("one ", "two ", "three"), Duration.ofMillis(100))
                    : new FakeOpenAi.SlowStream(IntStream.range(0, 300).mapToObj(i -> "w" + i + " ").toList(),
                            Duration.ofMillis(100))));
            TestGateway gateway = TestGateway.start(dir, "channels:\n" + TestGateway.channel("f", fake, "[chat]", ""));
            int port = gateway.gateway().port();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            CountDownLatch started = new CountDownLatch(4);
            List<CompletableFuture<Seen>> streams = new ArrayList<>();
            for (String kind : List.of("short", "long", "short", "long")) {
                streams.add(CompletableFuture.supplyAsync(() -> stream(client, gateway, kind, started)));
            }
            assertThat(started.await(30, TimeUnit.SECONDS)).as("every stream has content").isTrue();

            // Two keep-alive connections: one idle, one with the next request's first line already sent.
            Socket idle = keptAlive(port);
            Socket arriving = keptAlive(port);
            arriving.getOutputStream().write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            arriving.getOutputStream().flush();
            Thread.sleep(300); // lets the server read those bytes: a connection with none of a request is closed at once

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(
                    () -> gateway.gateway().stop(Duration.ofSeconds(2)));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (accepts(port) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);

            String body = "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"late\"}]}";
            arriving.getOutputStream().write(("Authorization: Bearer " + TestGateway.KEY + "\r\nContent-Type: "
                    + "application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
            arriving.getOutputStream().flush();
            Map<String, String> refused = new HashMap<>();
            String refusedBody = readResponse(arriving.getInputStream(), refused);
            assertThat(refused.get(":status")).isEqualTo("503");
            assertThat(refused).containsEntry("connection", "close").containsKey("retry-after")
                    .containsKey("x-request-id");
            assertThat(refusedBody).contains("\"type\":\"server_error\"").contains("shutting down");
            assertThat(arriving.getInputStream().read()).isEqualTo(-1);
            assertThat(idle.getInputStream().read()).as("an idle keep-alive connection is closed").isEqualTo(-1);

            stopped.get(60, TimeUnit.SECONDS);
            for (int i = 0; i < 4; i++) {
                Seen seen = streams.get(i).get(30, TimeUnit.SECONDS);
                assertThat(seen.failure()).as("stream %d ended without a reset", i).isNull();
                if (i % 2 == 0) {
                    assertThat(seen.text()).contains("three").endsWith("data: [DONE]\n\n");
                } else {
                    assertThat(seen.text()).contains("w0 ").doesNotContain("[DONE]")
                            .contains("data: {\"error\":{\"message\":\"The gateway is shutting down");
                }
            }
            assertThat(usageEndReasons()).containsExactlyInAnyOrder("done", "done", "shutdown", "shutdown");
            idle.close();
            arriving.close();
        }
    }

    private static Seen stream(HttpClient client, TestGateway gateway, String kind, CountDownLatch started) {
        String body = "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"" + kind + "\"}]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + TestGateway.KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        StringBuilder text = new StringBuilder();
        boolean counted = false;
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                byte[] buffer = new byte[4096];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    if (!counted && (text.indexOf("one ") >= 0 || text.indexOf("w0 ") >= 0)) {
                        counted = true;
                        started.countDown();
                    }
                }
            }
            return new Seen(text.toString(), null);
        } catch (IOException e) {
            return new Seen(text.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Seen(text.toString(), new IOException(e));
        } finally {
            if (!counted) {
                started.countDown();
            }
        }
    }

    /** A connection that has served one request and stays open. */
    private static Socket keptAlive(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        Map<String, String> headers = new HashMap<>();
        readResponse(socket.getInputStream(), headers);
        assertThat(headers.get(":status")).isEqualTo("200");
        return socket;
    }

    private static boolean accepts(int port) {
        try (Socket probe = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads one response with a Content-Length body into {@code headers} (status under ":status"); returns the body. */
    private static String readResponse(InputStream in, Map<String, String> headers) throws IOException {
        String status = line(in);
        headers.put(":status", status.split(" ")[1]);
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
                    line.substring(colon + 1).strip());
        }
        return new String(in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0"))),
                StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-response");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** The usage rows as written to the database file (the gateway is closed by then). */
    private List<String> usageEndReasons() throws Exception {
        List<String> reasons = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("junction.db"));
                ResultSet rows = db.createStatement().executeQuery("SELECT end_reason FROM usage ORDER BY id")) {
            while (rows.next()) {
                reasons.add(rows.getString(1));
            }
        }
        return reasons;
    }
}
