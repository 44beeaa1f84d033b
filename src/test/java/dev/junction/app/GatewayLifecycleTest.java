package dev.junction.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.testing.Chat;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.JsonTree;
import dev.junction.testing.TestGateway;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up and shutdown: stopping drains requests in progress and refuses new ones. */
class GatewayLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void stoppingLetsRequestsInProgressFinish() throws Exception {
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            fake.always(new FakeOpenAi.Delayed(Duration.ofMillis(600), FakeOpenAi.text("finished anyway")));
            TestGateway gateway = TestGateway.start(dir, "channels:\n" + TestGateway.channel("f", fake, "[chat]", ""));
            CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return gateway.post("/v1/chat/completions", Chat.body("chat", true));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long wait = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (fake.requestCount() == 0 && System.nanoTime() < wait) {
                Thread.sleep(5);
            }
            gateway.close();
            HttpResponse<String> response = inFlight.get();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).endsWith("data: [DONE]\n\n");
            assertThat(JsonTree.events(response.body())).anyMatch(c -> c.at("/choices/0/finish_reason").asString("")
                    .equals("stop"));
            assertThatThrownBy(() -> gateway.get("/health", null)).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void anEarlyErrorLeavesTheKeepAliveConnectionUsable() throws Exception {
        try (FakeOpenAi fake = FakeOpenAi.start();
                TestGateway gateway = TestGateway.start(dir, "channels:\n"
                        + TestGateway.channel("f", fake, "[chat]", ""))) {
            int port = Integer.parseInt(gateway.baseUrl().replaceAll(".*:", ""));
            String body = Chat.body("chat", false);
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                var out = socket.getOutputStream();
                var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                        java.nio.charset.StandardCharsets.UTF_8));
                // No key: answered 401 before the body is read. The body arrives a moment after the headers.
                out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(150);
                out.write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
                assertThat(readResponse(in)).startsWith("HTTP/1.1 401");
                // The same connection then serves the next request.
                out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestGateway.KEY
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
                assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
            }
        }
    }

    /** Reads one response with a Content-Length body; returns its status line. */
    private static String readResponse(java.io.BufferedReader in) throws Exception {
        String status = in.readLine();
        assertThat(status).as("a response on the kept-alive connection").isNotNull();
        int length = 0;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        char[] skip = new char[length];
        int read = 0;
        while (read < length) {
            read += in.read(skip, read, length - read);
        }
        return status;
    }
}
