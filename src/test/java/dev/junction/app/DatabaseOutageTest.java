package dev.junction.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.Chat;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.PostgresSchema;
import dev.junction.testing.TcpProxy;
import dev.junction.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A gateway on PostgreSQL reached through a proxy the test cuts, as while the database restarts or
 * fails over: model traffic goes on, the admin API answers 503 with {@code Retry-After} instead of
 * hanging or failing with 500, {@code /health} says the database is down, and once the database is
 * back every request's usage row is there.
 */
class DatabaseOutageTest {

    @RegisterExtension
    final PostgresSchema postgres = new PostgresSchema("junction_outage");

    @Test
    void anOutageLosesNoUsageAndTheAdminApiSaysSo() throws Exception {
        try (FakeOpenAi openai = FakeOpenAi.start("sk-fake-gpt");
                TcpProxy proxy = TcpProxy.to("127.0.0.1", 5432);
                TestGateway gateway = TestGateway.start("channels:\n" + TestGateway.channel("gpt", openai, "{chat: gpt-4o}", ""),
                        dev.junction.core.Clock.system(),
                        postgres.url().replace("127.0.0.1:5432", "127.0.0.1:" + proxy.port()))) {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                ids.add(served(gateway));
            }
            assertThat(gateway.usageRows(5)).hasSize(5);

            proxy.cut();
            for (int i = 0; i < 20; i++) {
                ids.add(served(gateway));
            }
            HttpResponse<String> admin = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(gateway.baseUrl() + "/api/setup")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(admin.statusCode()).as(admin.body()).isEqualTo(503);
            assertThat(admin.body()).contains("database_unavailable");
            assertThat(admin.headers().firstValue("Retry-After")).contains("5");
            String health = health(gateway, "\"database\":\"down\"");
            assertThat(health).as("still 200, and says what is wrong").contains("\"status\":\"degraded\"");

            proxy.restore();
            List<Map<String, Object>> rows = rowsOnceReachable(gateway, 25);
            assertThat(health(gateway, "\"status\":\"ok\"")).doesNotContain("database");
            List<String> stored = new ArrayList<>();
            rows.forEach(row -> stored.add((String) row.get("request_id")));
            assertThat(stored).as("every request's row, once each").hasSize(25).containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    /** The usage rows, once there are {@code expected}; a pooled connection the outage broke is retried. */
    private static List<Map<String, Object>> rowsOnceReachable(TestGateway gateway, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                List<Map<String, Object>> rows = gateway.usageRows(expected);
                if (rows.size() >= expected || System.nanoTime() > deadline) {
                    return rows;
                }
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(50);
        }
    }

    /** {@code GET /health} once its body holds {@code expected} (within 10 s). */
    private static String health(TestGateway gateway, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(gateway.baseUrl() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            if (health.body().contains(expected) || System.nanoTime() > deadline) {
                assertThat(health.body()).contains(expected);
                return health.body();
            }
            Thread.sleep(50);
        }
    }

    /** One chat request, served; its request id. */
    private static String served(TestGateway gateway) throws Exception {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", Chat.body("chat", false));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("x-request-id").orElseThrow();
    }
}
