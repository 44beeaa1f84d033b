package dev.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.admin.AdminClient.Response;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.MutableClock;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Who reads which alerts and exceptions (DESIGN.md §6): failing traffic from a backend key on one
 * model, a web key on another and both on a third fires three alerts whose reach names the teams
 * that sent it. A member reads the alerts touching a team of theirs and their teams' exceptions;
 * owners, admins and viewers (who read everything) read all; a member in no team reads none.
 */
class AlertScopeTest {

    static final String PASSWORD = "scope-password-1";

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock();
    final List<AutoCloseable> open = new ArrayList<>();
    TestGateway gateway;
    AdminClient owner;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    String databaseUrl() {
        return "sqlite:" + dir.resolve("junction.db");
    }

    private long user(String name, String role) throws Exception {
        Response made = owner.post("/api/users", "{\"name\":\"" + name + "\",\"password\":\"" + PASSWORD
                + "\",\"role\":\"" + role + "\"}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        return made.id();
    }

    private long team(String name, long... members) throws Exception {
        Response made = owner.post("/api/teams", "{\"name\":\"" + name + "\"}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        for (long member : members) {
            assertThat(owner.put("/api/teams/" + made.id() + "/members/" + member).status()).isEqualTo(200);
        }
        return made.id();
    }

    private String key(long user, long team) throws Exception {
        Response made = owner.post("/api/keys", "{\"name\":\"k" + user + "\",\"user_id\":" + user + ",\"team_id\":"
                + team + "}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        return made.json().path("key").asString();
    }

    private void fail(String key, String model, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            HttpResponse<String> reply = gateway.post("/v1/chat/completions", "{\"model\":\"" + model
                    + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", key);
            assertThat(reply.statusCode()).as(reply.body()).isGreaterThanOrEqualTo(500);
        }
    }

    private AdminClient signIn(String name) throws Exception {
        AdminClient client = new AdminClient(gateway.baseUrl());
        assertThat(client.login(name, PASSWORD).status()).isEqualTo(200);
        return client;
    }

    private static List<String> subjects(Response list) {
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        List<String> subjects = new ArrayList<>();
        list.json().path("data").forEach(a -> subjects.add(a.path("subject").asString()));
        return subjects.stream().sorted().toList();
    }

    private static List<Long> teamsOf(Response list) {
        List<Long> teams = new ArrayList<>();
        list.json().path("data").forEach(e -> teams.add(e.path("team_id").asLong()));
        return teams.stream().sorted().toList();
    }

    private long exception(AdminClient by, long team, String model) throws Exception {
        Response asked = by.post("/api/alerts/exceptions", "{\"team_id\":" + team + ",\"rule\":\"errors\",\"model\":\""
                + model + "\",\"kind\":\"silence\",\"reason\":\"the provider is migrating this model tonight\","
                + "\"evidence\":{\"link\":\"https://tickets.example/7\"},\"days\":1}");
        assertThat(asked.status()).as(asked.body()).isEqualTo(201);
        return asked.id();
    }

    @Test
    void membersReadTheAlertsAndExceptionsOfTheirTeamsAndEveryoneElseReadsAll() throws Exception {
        FakeOpenAi openai = FakeOpenAi.start("sk-fake-gpt");
        open.add(openai);
        openai.always(FakeProvider.status(500));
        gateway = TestGateway.start("channels:\n" + TestGateway.channel("gpt", openai,
                "{gpt: gpt-4o, mini: gpt-4o-mini, shared: gpt-4o}", "") + """
                alerts:
                  every: 1h
                  rules:
                    - { name: errors, kind: error_rate, threshold: 0.5, window: 10m, min_requests: 2 }
                """, clock, databaseUrl());
        open.add(gateway);
        owner = new AdminClient(gateway.baseUrl());
        Response setup = owner.post("/api/setup", "{\"name\":\"root\",\"password\":\"" + PASSWORD + "\"}");
        owner.keepSession(setup);

        long mia = user("mia", "member");
        long leo = user("leo", "member");
        user("nobody", "member");
        user("ada", "admin");
        user("vic", "viewer");
        long backend = team("backend", mia);
        long web = team("web", leo);
        String backendKey = key(mia, backend);
        String webKey = key(leo, web);

        fail(backendKey, "gpt", 2);
        fail(webKey, "mini", 2);
        fail(backendKey, "shared", 1);
        fail(webKey, "shared", 1);
        gateway.usageRows(6);
        Response evaluated = owner.post("/api/alerts/evaluate", null);
        assertThat(evaluated.json().path("fired")).hasSize(3);
        JsonNode shared = null;
        for (JsonNode a : owner.get("/api/alerts").json().path("data")) {
            if (a.path("subject").asString().equals("model:shared")) {
                shared = a;
            }
        }
        assertThat(shared).isNotNull();
        assertThat(shared.at("/reach/team_ids").toString()).isEqualTo("[" + Math.min(backend, web) + ","
                + Math.max(backend, web) + "]");

        List<String> all = List.of("model:gpt", "model:mini", "model:shared");
        Map<String, List<String>> expected = Map.of(
                "root", all, "ada", all, "vic", all,
                "mia", List.of("model:gpt", "model:shared"),
                "leo", List.of("model:mini", "model:shared"),
                "nobody", List.of());
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            AdminClient who = e.getKey().equals("root") ? owner : signIn(e.getKey());
            assertThat(subjects(who.get("/api/alerts"))).as(e.getKey() + " reads").isEqualTo(e.getValue());
            assertThat(subjects(who.get("/api/alerts?state=firing"))).as(e.getKey() + " reads firing")
                    .isEqualTo(e.getValue());
            assertThat(who.get("/api/alerts").json().path("scope").asString())
                    .isEqualTo(Map.of("root", "all", "ada", "all", "vic", "all").getOrDefault(e.getKey(), "teams"));
        }

        AdminClient miaClient = signIn("mia");
        AdminClient leoClient = signIn("leo");
        long backendException = exception(miaClient, backend, "gpt");
        long webException = exception(leoClient, web, "mini");
        assertThat(teamsOf(miaClient.get("/api/alerts/exceptions"))).containsExactly(backend);
        assertThat(teamsOf(leoClient.get("/api/alerts/exceptions"))).containsExactly(web);
        assertThat(teamsOf(signIn("nobody").get("/api/alerts/exceptions"))).isEmpty();
        assertThat(teamsOf(owner.get("/api/alerts/exceptions"))).containsExactlyInAnyOrder(backend, web);
        assertThat(teamsOf(signIn("vic").get("/api/alerts/exceptions"))).containsExactlyInAnyOrder(backend, web);
        assertThat(miaClient.get("/api/alerts/exceptions/" + backendException).status()).isEqualTo(200);
        assertThat(miaClient.get("/api/alerts/exceptions/" + webException).status())
                .as("another team's exception is not there for her").isEqualTo(404);
        assertThat(owner.get("/api/alerts/exceptions/" + webException).status()).isEqualTo(200);
    }
}
