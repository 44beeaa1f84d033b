package dev.junction.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.store.Database;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graceful stop under load loses no usage row: every request that was admitted and answered has
 * its row, with its rollups, once the stop returns.
 */
class UsageStopTest {

    @TempDir
    Path dir;

    @Test
    void aGracefulStopUnderLoadLosesNoUsageRow() throws Exception {
        try (FakeOpenAi fake = FakeOpenAi.start("sk-fake-f")) {
            fake.always(FakeProvider.text("Hello there, this is a short answer"));
            TestGateway gateway = TestGateway.start(dir, "channels:\n" + TestGateway.channel("f", fake, "[chat]", ""));
            String url = gateway.baseUrl() + "/v1/chat/completions";
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(2)).build();
            Set<String> answered = ConcurrentHashMap.newKeySet();
            AtomicBoolean stopping = new AtomicBoolean();
            List<Future<?>> clients = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
                for (int c = 0; c < 16; c++) {
                    boolean stream = c % 2 == 0;
                    clients.add(pool.submit(() -> {
                        while (!stopping.get() || answered.size() < 50) {
                            try {
                                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                                        .timeout(Duration.ofSeconds(10))
                                        .header("Authorization", "Bearer " + TestGateway.KEY)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"chat\",\"stream\":"
                                                + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
                                        .build(), HttpResponse.BodyHandlers.ofString());
                                if (!(response.statusCode() == 503 && response.body().contains("shutting down"))) {
                                    // (a request that arrives during the stop is refused at the door,
                                    // before any key is read, like a refused connection: no row)
                                    response.headers().firstValue("x-request-id").ifPresent(answered::add);
                                }
                            } catch (java.io.IOException e) {
                                if (stopping.get()) {
                                    return null; // the gateway is gone: connection refused
                                }
                            }
                        }
                        return null;
                    }));
                }
                while (answered.size() < 300) {
                    Thread.sleep(5);
                }
                stopping.set(true);
                gateway.close(); // graceful: drains requests, then the usage writer
                for (Future<?> client : clients) {
                    client.get();
                }
            }
            try (Database db = Database.open("sqlite:" + dir.resolve("junction.db"))) {
                Set<String> written = new HashSet<>(db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT request_id FROM usage").mapTo(String.class).list()));
                assertThat(answered).as("every answered request has its row").isSubsetOf(written);
                long rolledUp = db.jdbi().withHandle(h -> h.createQuery("SELECT SUM(requests) FROM usage_minute")
                        .mapTo(Long.class).one());
                assertThat(rolledUp).as("and is in the rollups").isEqualTo(written.size());
            }
        }
    }
}
