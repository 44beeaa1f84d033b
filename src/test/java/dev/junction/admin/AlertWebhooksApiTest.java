package dev.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.admin.AdminClient.Response;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.FakeWebhookReceiver;
import dev.junction.testing.MutableClock;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Alert webhooks through the admin API, against a real receiver over HTTP: made, listed, changed,
 * tested and deleted by owners and admins; a URL the base-URL guard refuses and a header the
 * sender sets itself are refused; the URL and headers are sealed in the database and shown only as
 * an origin and the last four characters; an alert fires to it with its header; the config file's
 * webhook is listed read-only; every write is audited without the secrets.
 */
class AlertWebhooksApiTest {

    static final String PASSWORD = "hooks-password-1";
    static final String PATH_SECRET = "/services/T1/B1/SLACKSECRETPATH123";
    static final String HEADER_SECRET = "Bearer HEADER-SECRET-TOKEN-1234";

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock();
    final List<AutoCloseable> open = new ArrayList<>();
    FakeOpenAi openai;
    FakeWebhookReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        openai = FakeOpenAi.start("sk-fake-gpt");
        openai.always(FakeProvider.status(500));
        receiver = FakeWebhookReceiver.start(0);
        open.add(openai);
        open.add(receiver);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    String databaseUrl() {
        return "sqlite:" + dir.resolve("junction.db");
    }

    String config() {
        return "channels:\n" + TestGateway.channel("gpt", openai, "{gpt: gpt-4o}", "") + """
                alerts:
                  every: 1h
                  rules:
                    - { name: errors, kind: error_rate, threshold: 0.5, window: 10m, min_requests: 2 }
                  webhooks:
                    - { name: ops, url: "%s", format: json, min_tier: critical }
                """.formatted(receiver.url("/file?token=FILESECRET"));
    }

    TestGateway gateway() throws Exception {
        TestGateway gateway = TestGateway.start(config(), clock, databaseUrl());
        open.add(gateway);
        return gateway;
    }

    static AdminClient owner(TestGateway gateway) throws Exception {
        AdminClient owner = new AdminClient(gateway.baseUrl());
        Response setup = owner.post("/api/setup", "{\"name\":\"root\",\"password\":\"" + PASSWORD + "\"}");
        if (setup.status() == 201) {
            owner.keepSession(setup);
        } else {
            assertThat(owner.login("root", PASSWORD).status()).isEqualTo(200);
        }
        return owner;
    }

    static void fail(TestGateway gateway, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            HttpResponse<String> reply = gateway.post("/v1/chat/completions",
                    "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertThat(reply.statusCode()).isGreaterThanOrEqualTo(500);
        }
    }

    static JsonNode hook(AdminClient by, String name) throws Exception {
        for (JsonNode h : by.get("/api/alerts/webhooks").json().path("data")) {
            if (h.path("name").asString().equals(name)) {
                return h;
            }
        }
        return null;
    }

    String slackHook() {
        return "{\"name\":\"team-slack\",\"url\":\"" + receiver.url(PATH_SECRET) + "\",\"format\":\"slack\","
                + "\"headers\":{\"Authorization\":\"" + HEADER_SECRET + "\"},\"retries\":1,\"timeout_ms\":3000}";
    }

    @Test
    void webhooksAreManagedThroughTheApiSealedMaskedGuardedAndAudited() throws Exception {
        TestGateway gateway = gateway();
        AdminClient owner = owner(gateway);
        String origin = receiver.url("");

        Map<String, String> refused = Map.of(
                "{\"name\":\"meta\",\"url\":\"http://169.254.169.254/latest/meta-data\"}", "url",
                "{\"name\":\"ftp\",\"url\":\"ftp://files.example/hook\"}", "url",
                "{\"name\":\"x\",\"url\":\"" + origin + "/x\",\"format\":\"xml\"}", "format",
                "{\"name\":\"x\",\"url\":\"" + origin + "/x\",\"min_tier\":\"loud\"}", "min_tier",
                "{\"name\":\"x\",\"url\":\"" + origin + "/x\",\"headers\":{\"Host\":\"evil\"}}", "headers.Host",
                "{\"name\":\"x\",\"url\":\"" + origin + "/x\",\"retries\":99}", "retries",
                "{\"name\":\"Bad Name\",\"url\":\"" + origin + "/x\"}", "name");
        for (Map.Entry<String, String> e : refused.entrySet()) {
            Response r = owner.post("/api/alerts/webhooks", e.getKey());
            assertThat(r.status()).as(e.getKey() + " → " + r.body()).isEqualTo(400);
            assertThat(r.json().at("/error/param").asString()).isEqualTo(e.getValue());
        }
        assertThat(owner.post("/api/alerts/webhooks", "{\"name\":\"ops\",\"url\":\"" + origin + "/x\"}").status())
                .as("the file's webhook has the name").isEqualTo(409);

        Response created = owner.post("/api/alerts/webhooks", slackHook());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("SLACKSECRET").doesNotContain("HEADER-SECRET");
        JsonNode made = created.json();
        assertThat(made.path("url").asString()).isEqualTo(origin + "/…");
        assertThat(made.at("/headers/Authorization").asString()).isEqualTo("…1234");
        assertThat(made.path("source").asString()).isEqualTo("api");
        assertThat(made.path("read_only").asBoolean()).isFalse();

        String listed = owner.get("/api/alerts/webhooks").body();
        assertThat(listed).doesNotContain("SLACKSECRET").doesNotContain("HEADER-SECRET").doesNotContain("FILESECRET");
        assertThat(hook(owner, "ops").path("read_only").asBoolean()).isTrue();
        assertThat(hook(owner, "ops").path("source").asString()).isEqualTo("file");
        Map<String, Object> row = gateway.gateway().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT * FROM alert_webhooks WHERE name = 'team-slack'").mapToMap().one());
        assertThat(row.toString()).as("sealed at rest").doesNotContain("SLACKSECRET").doesNotContain("HEADER-SECRET");
        assertThat(row.get("origin")).isEqualTo(origin);

        Response tested = owner.post("/api/alerts/webhooks/team-slack/test", null);
        assertThat(tested.status()).as(tested.body()).isEqualTo(200);
        assertThat(tested.json().path("delivered").asBoolean()).isTrue();
        assertThat(tested.json().path("status").asInt()).isEqualTo(204);
        FakeWebhookReceiver.Post test = receiver.await(p -> p.path().equals(PATH_SECRET), 1).getFirst();
        assertThat(test.authorization()).isEqualTo(HEADER_SECRET);
        assertThat(Json.parse(test.body()).path("text").asString()).contains("test").contains("webhook-test");

        assertThat(owner.send("PUT", "/api/alerts/webhooks/ops", "{\"min_tier\":\"info\"}").errorCode())
                .isEqualTo("read_only");
        assertThat(owner.delete("/api/alerts/webhooks/ops").errorCode()).isEqualTo("read_only");

        // An alert fires to it, with its header; the file's webhook waits for critical.
        fail(gateway, 2);
        gateway.usageRows(2);
        assertThat(owner.post("/api/alerts/evaluate", null).json().path("fired")).hasSize(1);
        List<FakeWebhookReceiver.Post> fired = receiver.await(p -> p.path().equals(PATH_SECRET)
                && p.body().contains("firing"), 1);
        assertThat(fired).singleElement().satisfies(p -> {
            assertThat(p.authorization()).isEqualTo(HEADER_SECRET);
            assertThat(Json.parse(p.body()).path("blocks").isArray()).as("Slack's body").isTrue();
        });
        assertThat(receiver.posts()).noneMatch(p -> p.path().equals("/file"));

        // A change without url or headers keeps them; one with headers {} clears them.
        Response changed = owner.send("PUT", "/api/alerts/webhooks/team-slack",
                "{\"format\":\"json\",\"min_tier\":\"warning\"}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().path("format").asString()).isEqualTo("json");
        assertThat(changed.json().at("/headers/Authorization").asString()).isEqualTo("…1234");
        assertThat(owner.post("/api/alerts/webhooks/team-slack/test", null).json().path("delivered").asBoolean())
                .isTrue();
        assertThat(receiver.await(p -> p.path().equals(PATH_SECRET), 3)).hasSize(3).last()
                .satisfies(p -> assertThat(Json.parse(p.body()).path("event").asString()).isEqualTo("test"));
        Response cleared = owner.send("PUT", "/api/alerts/webhooks/team-slack", "{\"headers\":{}}");
        assertThat(cleared.json().path("headers").isEmpty()).isTrue();

        // Roles: a member neither lists nor makes webhooks; a viewer lists them.
        assertThat(owner.post("/api/users", "{\"name\":\"mia\",\"password\":\"" + PASSWORD
                + "\",\"role\":\"member\"}").status()).isEqualTo(201);
        assertThat(owner.post("/api/users", "{\"name\":\"vic\",\"password\":\"" + PASSWORD
                + "\",\"role\":\"viewer\"}").status()).isEqualTo(201);
        AdminClient mia = new AdminClient(gateway.baseUrl());
        mia.login("mia", PASSWORD);
        AdminClient vic = new AdminClient(gateway.baseUrl());
        vic.login("vic", PASSWORD);
        assertThat(mia.get("/api/alerts/webhooks").status()).isEqualTo(403);
        assertThat(mia.post("/api/alerts/webhooks", "{\"name\":\"m\",\"url\":\"" + origin + "/m\"}").status())
                .isEqualTo(403);
        assertThat(vic.get("/api/alerts/webhooks").status()).isEqualTo(200);
        assertThat(vic.post("/api/alerts/webhooks/team-slack/test", null).status()).isEqualTo(403);

        assertThat(owner.delete("/api/alerts/webhooks/team-slack").status()).isEqualTo(204);
        assertThat(hook(owner, "team-slack")).isNull();
        assertThat(owner.get("/api/alerts/webhooks/team-slack").status()).isEqualTo(404);

        String audit = owner.get("/api/audit?limit=100").body();
        assertThat(audit).contains("alerts.webhook.create").contains("alerts.webhook.update")
                .contains("alerts.webhook.test").contains("alerts.webhook.delete")
                .doesNotContain("SLACKSECRET").doesNotContain("HEADER-SECRET");
    }
}
