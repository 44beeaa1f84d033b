package dev.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.MutableClock;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Limits and budgets kept in the database and set through {@code /api/limits}, over real HTTP on a
 * real gateway, on each database (see the subclasses): a team's limit is shared by its keys, only
 * owners and admins set limits (audited), a key of the config file is read-only, and a budget's
 * spend survives a restart.
 */
abstract class LimitsApiContract {

    static final String OWNER_PASSWORD = "owner-password-1";
    static final String PASSWORD = "member-password-1";
    static final String ALICE = "k-alice-00001";
    static final String BOB = "k-bob-0000001";

    final MutableClock clock = new MutableClock();
    FakeOpenAi openai;
    TestGateway gateway;

    /** The database URL a test's gateway uses. */
    abstract String databaseUrl();

    @BeforeEach
    void startFake() throws Exception {
        openai = FakeOpenAi.start("sk-fake-gpt");
        // 10 input and 1000 output tokens of gpt-4o: 10025 micro-dollars a request.
        openai.always(new FakeProvider.Text("ok", 1, 10, 1000));
        // Every test's requests share one minute.
        Instant now = clock.now();
        clock.advance(Duration.between(now, now.truncatedTo(ChronoUnit.MINUTES).plusSeconds(61)));
    }

    @AfterEach
    void stopGateway() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        openai.close();
    }

    String config() {
        return """
                keys:
                  - name: alice
                    key: %s
                    team: Backend
                  - name: bob
                    key: %s
                    team: backend
                  - name: carol
                    key: k-carol-00001
                    limits: { rpm: 7, concurrent: 2 }
                    budget: { usd: 1.5, period: week }
                channels:
                """.formatted(ALICE, BOB) + TestGateway.channel("gpt", openai, "{gpt: gpt-4o}", "");
    }

    TestGateway start() throws Exception {
        gateway = TestGateway.start(config(), clock, databaseUrl());
        return gateway;
    }

    AdminClient setUp() throws Exception {
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
        client.keepSession(login);
        return client;
    }

    static long createUser(AdminClient by, String name, String role) throws Exception {
        AdminClient.Response created = by.post("/api/users",
                "{\"name\":\"" + name + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"" + role + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.id();
    }

    static long teamId(AdminClient by, String name) throws Exception {
        for (JsonNode team : by.get("/api/teams").json().path("data")) {
            if (team.path("name").asString().equals(name)) {
                return team.path("id").asLong();
            }
        }
        throw new AssertionError("no team " + name);
    }

    HttpResponse<String> chat(String key) throws Exception {
        return gateway.post("/v1/chat/completions",
                "{\"model\":\"gpt\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", key);
    }

    @Test
    void aTeamsLimitIsSharedByEveryKeyOfTheTeam() throws Exception {
        start();
        AdminClient owner = setUp();
        long backend = teamId(owner, "backend");
        AdminClient.Response set = owner.send("PUT", "/api/limits/teams/" + backend, "{\"limits\":{\"rpm\":3}}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().path("subject").asString()).isEqualTo("team");
        assertThat(set.json().path("name").asString()).isEqualTo("backend");
        assertThat(set.json().at("/limits/rpm").asLong()).isEqualTo(3);
        assertThat(set.json().at("/limits/tpm").isNull()).isTrue();

        assertThat(chat(ALICE).statusCode()).isEqualTo(200);
        assertThat(chat(BOB).statusCode()).isEqualTo(200);
        assertThat(chat(ALICE).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = chat(BOB);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(refused.body()).contains("team backend: rpm limit 3 reached; retry in ");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(chat(ALICE).statusCode()).isEqualTo(429);
        assertThat(chat("k-carol-00001").statusCode()).as("a key of no team").isEqualTo(200);

        JsonNode view = owner.get("/api/limits/teams/" + backend).json();
        assertThat(view.at("/usage/requests").asLong()).isEqualTo(3);
        assertThat(view.path("near_limit").toString()).contains("rpm");

        JsonNode audit = owner.get("/api/audit").json().path("data");
        assertThat(audit.get(0).path("action").asString()).isEqualTo("limits.update");
        assertThat(audit.get(0).path("target").asString()).isEqualTo("team:" + backend);

        AdminClient.Response removed = owner.delete("/api/limits/teams/" + backend);
        assertThat(removed.status()).isEqualTo(204);
        assertThat(chat(BOB).statusCode()).as("no team limit any more").isEqualTo(200);
    }

    @Test
    void aKeyMadeInTheApiPassesItsOwnLimitsItsOwnersAndItsOwnersTeams() throws Exception {
        start();
        AdminClient owner = setUp();
        long mia = createUser(owner, "mia", "member");
        long backend = teamId(owner, "backend");
        assertThat(owner.put("/api/teams/" + backend + "/members/" + mia).status()).isEqualTo(200);
        AdminClient.Response made = owner.post("/api/keys", "{\"name\":\"mia-laptop\",\"user_id\":" + mia + "}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        long keyId = made.id();
        String secret = made.json().path("key").asString();
        AdminClient.Response second = owner.post("/api/keys", "{\"name\":\"mia-ci\",\"user_id\":" + mia + "}");
        String secondSecret = second.json().path("key").asString();

        assertThat(owner.send("PUT", "/api/limits/keys/" + keyId, "{\"limits\":{\"rpm\":4}}").status())
                .isEqualTo(200);
        assertThat(owner.send("PUT", "/api/limits/users/" + mia, "{\"limits\":{\"rpm\":3}}").status())
                .isEqualTo(200);
        assertThat(owner.send("PUT", "/api/limits/teams/" + backend, "{\"limits\":{\"rpm\":5}}").status())
                .isEqualTo(200);
        assertThat(chat(secret).statusCode()).isEqualTo(200);
        assertThat(chat(secondSecret).statusCode()).isEqualTo(200);
        assertThat(chat(secret).statusCode()).isEqualTo(200);
        HttpResponse<String> overUser = chat(secondSecret);
        assertThat(overUser.statusCode()).isEqualTo(429);
        assertThat(overUser.body()).contains("user mia: rpm limit 3 reached");
        // The owner's team counts the requests of her keys and of the file's keys in it: 3 + 2 = 5.
        assertThat(chat(ALICE).statusCode()).isEqualTo(200);
        assertThat(chat(BOB).statusCode()).isEqualTo(200);
        HttpResponse<String> overTeam = chat(ALICE);
        assertThat(overTeam.body()).contains("team backend: rpm limit 5 reached");

        AdminClient member = signIn("mia", PASSWORD);
        assertThat(member.get("/api/limits/keys/" + keyId).json().at("/limits/rpm").asLong())
                .as("a member reads her own key's limits").isEqualTo(4);
        assertThat(member.send("PUT", "/api/limits/keys/" + keyId, "{\"limits\":{\"rpm\":100}}").status())
                .as("but does not raise them").isEqualTo(403);
    }

    @Test
    void aKeyMadeUnderItsOwnersLimitsAndATeamJoinedAreHeldToThemFromTheNextRequest() throws Exception {
        start();
        AdminClient owner = setUp();
        long noor = createUser(owner, "noor", "member");
        assertThat(owner.send("PUT", "/api/limits/users/" + noor, "{\"limits\":{\"rpm\":1}}").status())
                .isEqualTo(200);
        String first = owner.post("/api/keys", "{\"name\":\"noor-1\",\"user_id\":" + noor + "}").json()
                .path("key").asString();
        assertThat(chat(first).statusCode()).isEqualTo(200);
        // A key made now cannot start her minute afresh, not even for the moment before a reload.
        String second = owner.post("/api/keys", "{\"name\":\"noor-2\",\"user_id\":" + noor + "}").json()
                .path("key").asString();
        HttpResponse<String> refused = chat(second);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(refused.body()).contains("user noor: rpm limit 1 reached");

        long omar = createUser(owner, "omar", "member");
        String omars = owner.post("/api/keys", "{\"name\":\"omar-1\",\"user_id\":" + omar + "}").json()
                .path("key").asString();
        AdminClient.Response night = owner.post("/api/teams", "{\"name\":\"night\"}");
        assertThat(owner.send("PUT", "/api/limits/teams/" + night.id(), "{\"limits\":{\"rpm\":1}}").status())
                .isEqualTo(200);
        assertThat(chat(omars).statusCode()).isEqualTo(200);
        assertThat(chat(omars).statusCode()).as("no team yet").isEqualTo(200);
        assertThat(owner.put("/api/teams/" + night.id() + "/members/" + omar).status()).isEqualTo(200);
        assertThat(chat(omars).statusCode()).isEqualTo(200);
        HttpResponse<String> overTeam = chat(omars);
        assertThat(overTeam.statusCode()).as("the team he joined counts his next requests").isEqualTo(429);
        assertThat(overTeam.body()).contains("team night: rpm limit 1 reached");
    }

    @Test
    void onlyOwnersAndAdminsSetLimitsAndAnAdminNotAnOwners() throws Exception {
        start();
        AdminClient owner = setUp();
        long member = createUser(owner, "mia", "member");
        long viewer = createUser(owner, "vic", "viewer");
        long admin = createUser(owner, "ada", "admin");
        long backend = teamId(owner, "backend");
        AdminClient mia = signIn("mia", PASSWORD);
        AdminClient vic = signIn("vic", PASSWORD);
        AdminClient ada = signIn("ada", PASSWORD);
        String body = "{\"limits\":{\"rpm\":10},\"budget\":{\"usd\":\"5\",\"period\":\"month\"}}";

        assertThat(mia.send("PUT", "/api/limits/users/" + member, body).status()).as("a member on themself")
                .isEqualTo(403);
        assertThat(mia.send("PUT", "/api/limits/teams/" + backend, body).status()).isEqualTo(403);
        assertThat(vic.send("PUT", "/api/limits/users/" + viewer, body).status()).isEqualTo(403);
        assertThat(ada.send("PUT", "/api/limits/users/1", body).status()).as("an admin on the owner").isEqualTo(403);
        AdminClient.Response set = ada.send("PUT", "/api/limits/users/" + member, body);
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().at("/budget/usd").asString()).isEqualTo("5");
        assertThat(set.json().at("/budget/period").asString()).isEqualTo("month");
        assertThat(set.json().at("/usage/spend_usd").asString()).isEqualTo("0");

        assertThat(mia.get("/api/limits/users/" + member).status()).as("a member reads their own").isEqualTo(200);
        assertThat(mia.get("/api/limits/users/" + admin).status()).isEqualTo(403);
        assertThat(vic.get("/api/limits/users/" + member).json().at("/limits/rpm").asLong()).isEqualTo(10);
        assertThat(mia.get("/api/limits").json().path("data").size()).as("only what a member may read")
                .isEqualTo(1);
        assertThat(owner.get("/api/limits/users/999").status()).isEqualTo(404);
    }

    @Test
    void aKeyOfTheConfigFileShowsItsLimitsAndIsReadOnly() throws Exception {
        start();
        AdminClient owner = setUp();
        JsonNode carol = null;
        for (JsonNode item : owner.get("/api/limits").json().path("data")) {
            if (item.path("name").asString().equals("carol")) {
                carol = item;
            }
        }
        assertThat(carol).isNotNull();
        assertThat(carol.path("source").asString()).isEqualTo("file");
        assertThat(carol.at("/limits/rpm").asLong()).isEqualTo(7);
        assertThat(carol.at("/limits/concurrent").asLong()).isEqualTo(2);
        assertThat(carol.at("/budget/usd").asString()).isEqualTo("1.5");
        assertThat(carol.at("/budget/period").asString()).isEqualTo("week");
        AdminClient.Response refused = owner.send("PUT", "/api/limits/keys/" + carol.path("id").asLong(),
                "{\"limits\":{\"rpm\":100}}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo("read_only");
    }

    @Test
    void aWrongLimitIsA400NamingTheField() throws Exception {
        start();
        AdminClient owner = setUp();
        long backend = teamId(owner, "backend");
        String path = "/api/limits/teams/" + backend;
        AdminClient.Response zero = owner.send("PUT", path, "{\"limits\":{\"rpm\":0}}");
        assertThat(zero.status()).isEqualTo(400);
        assertThat(zero.json().at("/error/param").asString()).isEqualTo("limits.rpm");
        assertThat(owner.send("PUT", path, "{\"budget\":{\"usd\":5,\"period\":\"year\"}}").json()
                .at("/error/param").asString()).isEqualTo("budget.period");
        assertThat(owner.send("PUT", path, "{\"budget\":{\"usd\":\"0.0000001\",\"period\":\"day\"}}").json()
                .at("/error/param").asString()).isEqualTo("budget.usd");
        assertThat(owner.send("PUT", path, "{\"limits\":{\"rph\":1}}").json().at("/error/param").asString())
                .isEqualTo("limits.rph");
        assertThat(owner.send("PUT", path, "{\"quota\":1}").status()).isEqualTo(400);
    }

    @Test
    void aTeamsBudgetSpendSurvivesARestart() throws Exception {
        start();
        AdminClient owner = setUp();
        long backend = teamId(owner, "backend");
        // $0.015 a day: one request (10025 spent) fits, a second (10098 more reserved) does not.
        assertThat(owner.send("PUT", "/api/limits/teams/" + backend,
                "{\"budget\":{\"usd\":\"0.015\",\"period\":\"day\"}}").status()).isEqualTo(200);
        assertThat(chat(ALICE).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = chat(BOB);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("team backend: budget of $0.02 per day reached ($0.01 spent or reserved");
        gateway.close();

        gateway = TestGateway.start(config(), clock, databaseUrl());
        HttpResponse<String> still = chat(BOB);
        assertThat(still.statusCode()).as("the spend came back from the usage table").isEqualTo(429);
        AdminClient again = signIn("root", OWNER_PASSWORD);
        assertThat(again.get("/api/limits/teams/" + backend).json().at("/usage/spend_usd").asString())
                .isEqualTo("0.010025");
    }
}
