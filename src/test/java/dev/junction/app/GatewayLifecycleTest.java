package dev.junction.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.testing.Chat;
import dev.junction.testing.FakeOpenAi;
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
            assertThat(response.body()).contains("\"finish_reason\":\"stop\"").endsWith("data: [DONE]\n\n");
            assertThatThrownBy(() -> gateway.get("/health", null)).isInstanceOf(ConnectException.class);
        }
    }
}
