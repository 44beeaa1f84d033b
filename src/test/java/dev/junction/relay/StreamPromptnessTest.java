package dev.junction.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.junction.testing.Chat;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.TestGateway;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Write coalescing never holds an event back for a later one: when nothing more is pending
 * upstream, what arrived reaches the client at once. The upstream here sends two content chunks
 * and then goes silent for the channel's whole idle timeout (two minutes); the client must read both
 * long before that (the bound is generous, far from any timing the test could race).
 */
class StreamPromptnessTest {

    @TempDir
    Path dir;

    private FakeOpenAi fake;
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

    @Test
    void eventsReachTheClientWhileTheUpstreamIsSilent() throws Exception {
        fake = FakeOpenAi.start("sk-fake-only");
        gateway = TestGateway.start(dir, "channels:\n" + TestGateway.channel("only", fake, "{chat: gpt-4o}",
                "timeout: { idle: 120s }"));
        fake.then(new FakeOpenAi.BrokenStream(2, FakeOpenAi.Fault.STALL));
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(Chat.body("chat", true)))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TestGateway.KEY)
                .build();
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.contains("part1")) {
                        return;
                    }
                }
                throw new AssertionError("the stream ended without the second chunk");
            }
        }, "the second chunk was held back while the upstream was silent");
    }
}
