package dev.junction.testing;

import dev.junction.app.Gateway;
import dev.junction.config.ConfigLoader;
import dev.junction.config.GatewayConfig;
import dev.junction.core.Clock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real gateway on a free port with a SQLite file in a temporary folder, configured from YAML
 * text exactly as a user's file would be. Use the {@code KEY} constant as the client key.
 */
public final class TestGateway implements AutoCloseable {

    public static final String KEY = "sk-test-gateway-key-1";
    public static final String MASTER = "test-master-key-0123456789abcdef0123456789";

    private final Gateway gateway;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;

    private TestGateway(Gateway gateway) {
        this.gateway = gateway;
        this.port = gateway.port();
    }

    /**
     * Starts a gateway. {@code yaml} holds the {@code keys:}/{@code channels:} sections; listen and
     * database are filled in. When it has no {@code keys:} section, one key {@link #KEY} with
     * access to everything is added; when it has no {@code admin:} section, one that lets channels
     * made through the admin API point at the fakes on loopback.
     */
    public static TestGateway start(Path dir, String yaml) throws Exception {
        return start(dir, yaml, Clock.system());
    }

    /** As {@link #start(Path, String)}, with the gateway's clock given. */
    public static TestGateway start(Path dir, String yaml, Clock clock) throws Exception {
        return start(yaml, clock, "sqlite:" + dir.resolve("junction.db"));
    }

    /** As {@link #start(Path, String, Clock)}, on the database at {@code databaseUrl}. */
    public static TestGateway start(String yaml, Clock clock, String databaseUrl) throws Exception {
        String text = configText(yaml, databaseUrl);
        GatewayConfig config = ConfigLoader.withEnvironment(Map.<String, String>of()::get).parse("test.yaml", text);
        Map<String, String> env = Map.of("JUNCTION_MASTER_KEY", MASTER);
        return new TestGateway(Gateway.start(config, env::get, clock, new SplittableRandom(42)));
    }

    /**
     * As {@link #start(Path, String)}, with upstream TLS trusting only {@code certificate} (the one
     * a fake's {@link FakeProvider#serveTls} serves).
     */
    public static TestGateway startTrusting(Path dir, String yaml, TestCertificate certificate) throws Exception {
        String text = configText(yaml, "sqlite:" + dir.resolve("junction.db"));
        GatewayConfig config = ConfigLoader.withEnvironment(Map.<String, String>of()::get).parse("test.yaml", text);
        Map<String, String> env = Map.of("JUNCTION_MASTER_KEY", MASTER);
        return new TestGateway(Gateway.startTrusting(config, env::get, Clock.system(), new SplittableRandom(42),
                certificate.keyStore()));
    }

    /**
     * The config file text {@link #start(String, Clock, String)} runs: {@code yaml} with listen,
     * database and (when it has no {@code keys:} section) the key {@link #KEY} filled in.
     */
    public static String configText(String yaml, String databaseUrl) {
        String keys = java.util.regex.Pattern.compile("(?m)^keys:").matcher(yaml).find() ? ""
                : "keys:\n  - name: test\n    key: " + KEY + "\n";
        // The fakes listen on loopback, where channels made through the admin API may point only
        // with this setting (BaseUrlGuardTest checks the default).
        String admin = java.util.regex.Pattern.compile("(?m)^admin:").matcher(yaml).find() ? ""
                : "admin:\n  allow_private_base_urls: true\n";
        return "listen: 127.0.0.1:0\ndatabase: " + databaseUrl + "\n" + keys + admin + yaml;
    }

    /**
     * Starts a gateway from the config file {@code file}, which a reload (SIGHUP, {@code POST
     * /api/reload}) reads again.
     */
    public static TestGateway fromFile(Path file, Clock clock) throws Exception {
        Map<String, String> env = Map.of("JUNCTION_MASTER_KEY", MASTER);
        GatewayConfig config = ConfigLoader.withEnvironment(Map.<String, String>of()::get).load(file);
        return new TestGateway(Gateway.start(config, java.util.Optional.of(file), env::get, clock,
                new SplittableRandom(42)));
    }

    /**
     * A YAML channel entry pointing at {@code fake}, of the fake's type: {@code openai} for
     * {@link FakeOpenAi}, {@code openai} with {@code responses: true} for {@link FakeResponses},
     * {@code anthropic} or {@code gemini}.
     */
    public static String channel(String name, FakeProvider fake, String models, String extra) {
        String type = switch (fake) {
            case FakeAnthropic a -> "anthropic";
            case FakeGemini g -> "gemini";
            default -> "openai";
        };
        String more = (fake instanceof FakeResponses ? "responses: true\n" : "") + extra;
        return """
                  - name: %s
                    type: %s
                    base_url: %s
                    api_key: sk-fake-%s
                    models: %s
                %s""".formatted(name, type, fake.baseUrl(), name, models, more.isEmpty() ? "" : more.indent(4));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Gateway gateway() {
        return gateway;
    }

    public HttpResponse<String> post(String path, String body, String key) throws Exception {
        return post(path, body, key, Map.of());
    }

    public HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, body, KEY);
    }

    /** A POST with {@link #KEY} as bearer token and these headers besides. */
    public HttpResponse<String> postWithHeaders(String path, String body, Map<String, String> headers)
            throws Exception {
        return post(path, body, KEY, headers);
    }

    private HttpResponse<String> post(String path, String body, String key, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Rows of the usage table, oldest first, once there are at least {@code expected} (a response
     * reaches the client just before its usage record is queued, so a test may ask a moment early).
     */
    public List<Map<String, Object>> usageRows(int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            gateway.usage().flush(10, TimeUnit.SECONDS);
            List<Map<String, Object>> rows = gateway.database().jdbi().withHandle(h -> h
                    .createQuery("SELECT * FROM usage ORDER BY id").mapToMap().list());
            if (rows.size() >= expected || System.nanoTime() > deadline) {
                return rows;
            }
            Thread.sleep(5);
        }
    }

    public List<Map<String, Object>> usageRows() throws Exception {
        return usageRows(1);
    }

    @Override
    public void close() {
        gateway.close();
    }
}
