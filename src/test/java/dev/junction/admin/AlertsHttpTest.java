package dev.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.admin.alerts.Reach;
import dev.junction.admin.alerts.TierTable;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.FakeWebhookReceiver;
import dev.junction.testing.MutableClock;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Alerts end to end: real traffic through a fake provider that fails makes the error-rate rule
 * fire, delivered over real HTTP to a fake webhook receiver (generic JSON and Slack bodies) at the
 * tier the standard table gives for its reach, retried when the receiver fails, deduplicated while
 * it keeps firing, escalated when more keys are hit, and recovered when the traffic succeeds again.
 * Exceptions need a reason, evidence and someone else's approval, silence the rule for their model,
 * and expire (all in the audit log).
 */
class AlertsHttpTest {

    static final String OWNER_PASSWORD = "owner-password-1";
    static final String PASSWORD = "member-password-1";
    static final String ALICE = "k-alice-00001";
    static final String BOB = "k-bob-0000001";

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock();
    FakeOpenAi openai;
    FakeWebhookReceiver receiver;
    TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        openai = FakeOpenAi.start("sk-fake-gpt");
        openai.always(FakeProvider.status(500));
        receiver = FakeWebhookReceiver.start(1);
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        openai.close();
        receiver.close();
    }

    /** The database the test's gateway uses. */
    String databaseUrl() {
        return "sqlite:" + dir.resolve("junction.db");
    }

    String config() {
        return """
                keys:
                  - name: alice
                    key: %s
                    team: backend
                  - name: bob
                    key: %s
                    team: backend
                channels:
                %salerts:
                  every: 1h
                  rules:
                    - name: errors
                      kind: error_rate
                      threshold: 0.5
                      window: 10m
                      min_requests: 3
                  webhooks:
                    - name: ops
                      url: %s
                      format: json
                      retries: 2
                      backoff: 20ms
                      timeout: 5s
                    - name: chat
                      url: %s
                      format: slack
                      min_tier: warning
                """.formatted(ALICE, BOB, TestGateway.channel("gpt", openai, "{gpt: gpt-4o}", ""),
                receiver.url("/hook?token=s3cret-token"), receiver.url("/services/T000/B000/XXXXSECRET"));
    }

    AdminClient setUp() throws Exception {
        gateway = TestGateway.start(config(), clock, databaseUrl());
        AdminClient owner = new AdminClient(gateway.baseUrl());
        AdminClient.Response created = owner.post("/api/setup",
                "{\"name\":\"root\",\"password\":\"" + OWNER_PASSWORD + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        owner.keepSession(created);
        return owner;
    }

    AdminClient signIn(String name, String password) throws Exception {
        AdminClient client = new AdminClient(gateway.baseUrl());
        AdminClient.Response login = client.login(name, password);
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        return client;
    }

    int chat(String key, int times) throws Exception {
        int status = 0;
        for (int i = 0; i < times; i++) {
            HttpResponse<String> reply = gateway.post("/v1/chat/completions",
                    "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", key);
            status = reply.statusCode();
        }
        return status;
    }

    JsonNode evaluate(AdminClient by, int usageRows) throws Exception {
        gateway.usageRows(usageRows);
        AdminClient.Response done = by.post("/api/alerts/evaluate", null);
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        return done.json();
    }

    static List<JsonNode> bodies(List<FakeWebhookReceiver.Post> posts) {
        List<JsonNode> bodies = new ArrayList<>();
        posts.forEach(p -> bodies.add(Json.parse(p.body())));
        return bodies;
    }

    @Test
    void failingTrafficFiresAtTheTablesTierToBothWebhooksOnceEscalatesAndRecovers() throws Exception {
        AdminClient owner = setUp();
        assertThat(chat(ALICE, 3)).isGreaterThanOrEqualTo(500);

        JsonNode first = evaluate(owner, 3);
        assertThat(first.path("fired")).hasSize(1);
        JsonNode alert = first.path("fired").get(0);
        assertThat(alert.path("rule").asString()).isEqualTo("errors");
        assertThat(alert.path("subject").asString()).isEqualTo("model:gpt");
        assertThat(alert.path("value").asDouble()).isEqualTo(1.0);
        JsonNode reach = alert.path("reach");
        assertThat(reach.path("keys").asLong()).isEqualTo(1);
        Reach measured = new Reach(reach.path("keys").asLong(), reach.path("users").asLong(),
                reach.path("teams").asLong(), 0);
        assertThat(alert.path("tier").asString()).isEqualTo(TierTable.STANDARD.tierOf(measured).wire())
                .isEqualTo("info");
        long id = alert.path("id").asLong();

        // The JSON webhook failed once (500) and got it on the retry; the Slack one is for warning and up.
        List<FakeWebhookReceiver.Post> hook = receiver.await(p -> p.path().equals("/hook"), 2);
        assertThat(hook).extracting(FakeWebhookReceiver.Post::answered).containsExactly(500, 204);
        assertThat(hook.get(0).body()).isEqualTo(hook.get(1).body());
        JsonNode firing = Json.parse(hook.get(1).body());
        assertThat(firing.path("event").asString()).isEqualTo("firing");
        assertThat(firing.path("tier").asString()).isEqualTo("info");
        assertThat(firing.at("/alert/id").asLong()).isEqualTo(id);
        assertThat(firing.at("/alert/reach/keys").asLong()).isEqualTo(1);
        assertThat(receiver.posts()).noneMatch(p -> p.path().startsWith("/services"));

        // Still failing: refreshed, not notified again.
        chat(ALICE, 1);
        JsonNode again = evaluate(owner, 4);
        assertThat(again.path("fired")).isEmpty();
        assertThat(again.path("escalated")).isEmpty();
        assertThat(again.path("recovered")).isEmpty();

        // A second key fails too: two keys is the warning line, so it escalates, now to both webhooks.
        chat(BOB, 2);
        JsonNode wider = evaluate(owner, 6);
        assertThat(wider.path("escalated")).hasSize(1);
        assertThat(wider.at("/escalated/0/id").asLong()).isEqualTo(id);
        assertThat(wider.at("/escalated/0/tier").asString()).isEqualTo("warning");
        assertThat(wider.at("/escalated/0/reach/keys").asLong()).isEqualTo(2);
        List<FakeWebhookReceiver.Post> slack = receiver.await(p -> p.path().startsWith("/services"), 1);
        assertThat(slack).hasSize(1);
        JsonNode slackBody = Json.parse(slack.get(0).body());
        assertThat(slackBody.path("text").asString()).startsWith("[WARNING] escalated: errors on model:gpt");
        assertThat(slackBody.at("/blocks/0/type").asString()).isEqualTo("section");
        assertThat(slackBody.at("/blocks/0/text/type").asString()).isEqualTo("mrkdwn");
        assertThat(slackBody.at("/blocks/0/text/text").asString()).contains("*WARNING*").contains("2 keys");
        assertThat(evaluate(owner, 6).path("escalated")).isEmpty();
        assertThat(receiver.await(p -> p.path().equals("/hook"), 3)).hasSize(3);

        JsonNode listed = owner.get("/api/alerts?state=firing").json().path("data");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("tier").asString()).isEqualTo("warning");

        // The provider recovers; ten minutes later the window holds only successes.
        openai.always(new FakeProvider.Text("ok", 1, 10, 10));
        clock.advance(Duration.ofMinutes(11));
        assertThat(chat(ALICE, 3)).isEqualTo(200);
        JsonNode healed = evaluate(owner, 9);
        assertThat(healed.path("recovered")).hasSize(1);
        assertThat(healed.at("/recovered/0/id").asLong()).isEqualTo(id);
        assertThat(healed.at("/recovered/0/state").asString()).isEqualTo("resolved");
        List<JsonNode> jsonBodies = bodies(receiver.await(p -> p.path().equals("/hook") && p.answered() == 204, 3));
        assertThat(jsonBodies).extracting(b -> b.path("event").asString())
                .containsExactly("firing", "escalated", "recovered");
        assertThat(jsonBodies.get(2).at("/alert/resolved_at").isNull()).isFalse();
        List<FakeWebhookReceiver.Post> slackPosts = receiver.await(p -> p.path().startsWith("/services"), 2);
        assertThat(Json.parse(slackPosts.get(1).body()).path("text").asString())
                .startsWith("[WARNING] recovered: errors on model:gpt");
        assertThat(owner.get("/api/alerts?state=firing").json().path("data")).isEmpty();
        assertThat(owner.get("/api/alerts").json().path("data").get(0).path("state").asString())
                .isEqualTo("resolved");

        // The webhooks are listed by origin: their paths and queries are secrets.
        String webhooks = owner.get("/api/alerts/webhooks").body();
        assertThat(webhooks).contains("127.0.0.1").doesNotContain("s3cret").doesNotContain("XXXXSECRET");
    }

    @Test
    void anExceptionNeedsReasonEvidenceAndAnotherDeciderSilencesItsModelAndExpires() throws Exception {
        AdminClient owner = setUp();
        long backend = 0;
        for (JsonNode team : owner.get("/api/teams").json().path("data")) {
            if (team.path("name").asString().equals("backend")) {
                backend = team.path("id").asLong();
            }
        }
        AdminClient.Response made = owner.post("/api/users",
                "{\"name\":\"mia\",\"password\":\"" + PASSWORD + "\",\"role\":\"member\"}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        long mia = made.id();
        assertThat(owner.put("/api/teams/" + backend + "/members/" + mia).status()).isEqualTo(200);
        AdminClient member = signIn("mia", PASSWORD);

        String base = "{\"team_id\":" + backend + ",\"rule\":\"errors\",\"model\":\"gpt\",\"kind\":\"silence\",";
        AdminClient.Response shortReason = member.post("/api/alerts/exceptions", base
                + "\"reason\":\"noisy\",\"evidence\":{\"link\":\"https://tickets.example/42\"},\"days\":1}");
        assertThat(shortReason.status()).isEqualTo(400);
        assertThat(shortReason.json().at("/error/param").asString()).isEqualTo("reason");
        AdminClient.Response noEvidence = member.post("/api/alerts/exceptions", base
                + "\"reason\":\"the provider is migrating its gpt cluster tonight\",\"days\":1}");
        assertThat(noEvidence.status()).isEqualTo(400);
        assertThat(noEvidence.json().at("/error/param").asString()).isEqualTo("evidence");
        AdminClient.Response noBaseline = member.post("/api/alerts/exceptions", base
                + "\"reason\":\"the provider is migrating its gpt cluster tonight\",\"evidence\":{\"baseline\":true},"
                + "\"days\":1}");
        assertThat(noBaseline.status()).as("no routing-config change yet, so no comparison").isEqualTo(400);
        AdminClient.Response lower = member.post("/api/alerts/exceptions", "{\"team_id\":" + backend
                + ",\"rule\":\"errors\",\"model\":\"gpt\",\"kind\":\"threshold\",\"threshold\":0.3,"
                + "\"reason\":\"the provider is migrating its gpt cluster tonight\","
                + "\"evidence\":{\"link\":\"https://tickets.example/42\"},\"days\":1}");
        assertThat(lower.status()).isEqualTo(400);
        assertThat(lower.json().at("/error/param").asString()).isEqualTo("threshold");
        AdminClient.Response asked = member.post("/api/alerts/exceptions", base
                + "\"reason\":\"the provider is migrating its gpt cluster tonight\","
                + "\"evidence\":{\"link\":\"https://tickets.example/42\"},\"days\":1}");
        assertThat(asked.status()).as(asked.body()).isEqualTo(201);
        long id = asked.id();
        assertThat(asked.json().path("state").asString()).isEqualTo("pending");
        assertThat(asked.json().path("requested_by_name").asString()).isEqualTo("mia");

        // Pending: it does not silence yet.
        chat(ALICE, 3);
        JsonNode before = evaluate(owner, 3);
        assertThat(before.path("fired")).hasSize(1);

        assertThat(member.post("/api/alerts/exceptions/" + id + "/approve", "{}").status()).isEqualTo(403);
        // An owner's own request needs another decider.
        AdminClient.Response ownAsk = owner.post("/api/alerts/exceptions", base
                + "\"reason\":\"owner asks for the same during the migration\","
                + "\"evidence\":{\"link\":\"https://tickets.example/43\"},\"days\":2}");
        assertThat(ownAsk.status()).isEqualTo(201);
        AdminClient.Response ownApprove = owner.post("/api/alerts/exceptions/" + ownAsk.id() + "/approve", "{}");
        assertThat(ownApprove.status()).isEqualTo(403);
        assertThat(ownApprove.errorCode()).isEqualTo("own_request");
        AdminClient.Response rejectWithoutNote = owner.post("/api/alerts/exceptions/" + id + "/reject", "{}");
        assertThat(rejectWithoutNote.status()).isEqualTo(400);
        AdminClient.Response approved = owner.post("/api/alerts/exceptions/" + id + "/approve",
                "{\"note\":\"ticket checked\"}");
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.json().path("state").asString()).isEqualTo("approved");
        assertThat(approved.json().path("decided_by_name").asString()).isEqualTo("root");
        assertThat(owner.post("/api/alerts/exceptions/" + id + "/approve", "{}").status()).isEqualTo(409);

        // Approved: the open alert ends quietly and failing traffic raises nothing for gpt.
        JsonNode silenced = evaluate(owner, 3);
        assertThat(silenced.path("recovered")).isEmpty();
        assertThat(owner.get("/api/alerts?state=firing").json().path("data")).isEmpty();
        chat(BOB, 3);
        assertThat(evaluate(owner, 6).path("fired")).isEmpty();

        // A day later it has expired: the same failures fire again.
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        owner = signIn("root", OWNER_PASSWORD);
        chat(ALICE, 3);
        JsonNode after = evaluate(owner, 9);
        assertThat(after.path("fired")).hasSize(1);
        assertThat(owner.get("/api/alerts/exceptions/" + id).json().path("state").asString()).isEqualTo("expired");

        List<String> actions = new ArrayList<>();
        owner.get("/api/audit?limit=100").json().path("data").forEach(e -> actions.add(e.path("action").asString()
                + " " + e.path("target").asString()));
        assertThat(actions).contains("alerts.exception.request alert_exception:" + id,
                "alerts.exception.approve alert_exception:" + id, "alerts.exception.expire alert_exception:" + id);
    }

    @Test
    void rulesComeFromTheFileReadOnlyAndFromTheApi() throws Exception {
        AdminClient owner = setUp();
        JsonNode rules = owner.get("/api/alerts/rules").json();
        assertThat(rules.at("/data/0/name").asString()).isEqualTo("errors");
        assertThat(rules.at("/data/0/source").asString()).isEqualTo("file");
        assertThat(rules.path("kinds")).hasSize(8);
        assertThat(owner.send("PUT", "/api/alerts/rules/errors", "{\"kind\":\"spend\",\"threshold\":1}").status())
                .isEqualTo(409);
        AdminClient.Response bad = owner.post("/api/alerts/rules", "{\"name\":\"x\",\"kind\":\"loud\",\"threshold\":1}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/error/param").asString()).isEqualTo("kind");
        AdminClient.Response made = owner.post("/api/alerts/rules",
                "{\"name\":\"slow\",\"kind\":\"latency\",\"threshold\":2000,\"window\":\"5m\",\"model\":\"gpt\"}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        assertThat(made.json().path("source").asString()).isEqualTo("database");
        assertThat(made.json().path("window").asString()).isEqualTo("5m");
        assertThat(owner.post("/api/alerts/rules", "{\"name\":\"slow\",\"kind\":\"spend\",\"threshold\":1}").status())
                .isEqualTo(409);
        AdminClient.Response changed = owner.send("PUT", "/api/alerts/rules/slow",
                "{\"kind\":\"latency\",\"threshold\":3000,\"enabled\":false}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().path("enabled").asBoolean()).isFalse();
        assertThat(owner.delete("/api/alerts/rules/slow").status()).isEqualTo(204);
        JsonNode tiers = owner.get("/api/alerts/tiers").json().path("data");
        assertThat(tiers.get(0).path("tier").asString()).isEqualTo("critical");
        assertThat(tiers.get(1).path("keys").asLong()).isEqualTo(2);

        AdminClient.Response made2 = owner.post("/api/users",
                "{\"name\":\"vic\",\"password\":\"" + PASSWORD + "\",\"role\":\"viewer\"}");
        assertThat(made2.status()).isEqualTo(201);
        AdminClient viewer = signIn("vic", PASSWORD);
        assertThat(viewer.get("/api/alerts").status()).isEqualTo(200);
        assertThat(viewer.post("/api/alerts/rules", "{\"name\":\"v\",\"kind\":\"spend\",\"threshold\":1}").status())
                .isEqualTo(403);
        assertThat(viewer.post("/api/alerts/evaluate", null).status()).isEqualTo(403);
    }
}
