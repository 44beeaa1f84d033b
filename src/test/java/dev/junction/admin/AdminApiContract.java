package dev.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.MutableClock;
import dev.junction.testing.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The admin API over real HTTP against a real gateway, on each database (see the subclasses).
 */
abstract class AdminApiContract {

    static final String OWNER_PASSWORD = "owner-password-1";
    static final String PASSWORD = "member-password-1";

    final MutableClock clock = new MutableClock();
    TestGateway gateway;

    /** The database URL a test's gateway uses. */
    abstract String databaseUrl();

    TestGateway start(String yaml) throws Exception {
        gateway = TestGateway.start(yaml, clock, databaseUrl());
        return gateway;
    }

    @AfterEach
    void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    AdminClient client() {
        return new AdminClient(gateway.baseUrl());
    }

    /** Sets the gateway up with the owner {@code root}; returns the owner's signed-in client. */
    AdminClient setUp() throws Exception {
        AdminClient owner = client();
        AdminClient.Response created = owner.post("/api/setup",
                "{\"name\":\"root\",\"email\":\"Root@Example.com\",\"password\":\"" + OWNER_PASSWORD + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        owner.keepSession(created);
        return owner;
    }

    /** Creates a user with {@link #PASSWORD}; returns its id. */
    static long createUser(AdminClient by, String name, String role) throws Exception {
        AdminClient.Response created = by.post("/api/users",
                "{\"name\":\"" + name + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"" + role + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.id();
    }

    AdminClient signedIn(String name) throws Exception {
        AdminClient client = client();
        assertThat(client.login(name, PASSWORD).status()).isEqualTo(200);
        return client;
    }

    @Test
    void firstRunSetUpCreatesTheOwnerExactlyOnceAndSignsThemIn() throws Exception {
        start("");
        assertThat(client().get("/api/setup").json().path("needed").asBoolean()).isTrue();
        AdminClient owner = setUp();
        assertThat(owner.cookie()).startsWith("junction_session=");
        assertThat(owner.csrf()).isNotBlank();
        AdminClient.Response me = owner.get("/api/me");
        assertThat(me.json().path("user").path("role").asString()).isEqualTo("owner");
        assertThat(me.json().path("user").path("email").asString()).isEqualTo("root@example.com");
        assertThat(client().get("/api/setup").json().path("needed").asBoolean()).isFalse();

        AdminClient.Response again = client().post("/api/setup",
                "{\"name\":\"mallory\",\"password\":\"mallory-password\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorCode()).isEqualTo("setup_done");
        assertThat(client().login("mallory", "mallory-password").status()).isEqualTo(401);
    }

    @Test
    void concurrentSetUpsMakeOneOwnerAndTheRestGet409() throws Exception {
        start("");
        int racers = 6;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
            for (int i = 0; i < racers; i++) {
                String name = "owner" + i;
                statuses.add(pool.submit(() -> {
                    go.await();
                    return client().post("/api/setup", "{\"name\":\"" + name + "\",\"password\":\"" + OWNER_PASSWORD
                            + "\"}").status();
                }));
            }
            go.countDown();
            List<Integer> results = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                results.add(status.get());
            }
            assertThat(results).containsOnly(201, 409);
            assertThat(results.stream().filter(s -> s == 201).count()).isEqualTo(1);
        }
        long users = gateway.gateway().database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users")
                .mapTo(Long.class).one());
        assertThat(users).isEqualTo(1);
    }

    @Test
    void aSessionCookieSignsInUntilSignOut() throws Exception {
        start("");
        setUp();
        AdminClient root = client();
        AdminClient.Response login = root.login("ROOT", OWNER_PASSWORD);
        assertThat(login.status()).isEqualTo(200);
        String setCookie = login.raw().headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/")
                .doesNotContain("Secure");
        AdminClient.Response me = root.get("/api/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("auth").asString()).isEqualTo("session");
        assertThat(me.json().path("csrf_token").asString()).isEqualTo(root.csrf());
        assertThat(client().login("root@example.com", OWNER_PASSWORD).status()).as("email signs in too")
                .isEqualTo(200);

        AdminClient.Response out = root.post("/api/logout", null);
        assertThat(out.status()).isEqualTo(204);
        assertThat(out.raw().headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(root.get("/api/me").status()).isEqualTo(401);
        assertThat(client().get("/api/me").status()).isEqualTo(401);
    }

    @Test
    void anAccountLocksAfterFiveFailuresAndUnlocksAfterTheLockout() throws Exception {
        start("");
        setUp();
        for (int i = 0; i < 5; i++) {
            AdminClient.Response wrong = client().login("root", "wrong-password-" + i);
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.errorCode()).isEqualTo("invalid_credentials");
        }
        AdminClient.Response locked = client().login("root", OWNER_PASSWORD);
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.json().path("error").path("type").asString()).isEqualTo("rate_limit_error");
        assertThat(Long.parseLong(locked.raw().headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(890L, 900L);

        clock.advance(Duration.ofMinutes(14));
        assertThat(client().login("root", OWNER_PASSWORD).status()).isEqualTo(429);
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(client().login("root", OWNER_PASSWORD).status()).isEqualTo(200);
        assertThat(client().login("root", "wrong-again").status()).as("a success started the count again")
                .isEqualTo(401);
        assertThat(client().login("root", OWNER_PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void oneAddressIsThrottledAcrossAccounts() throws Exception {
        start("""
                admin:
                  login: { max_failures_per_address: 3, address_window: 10m, lockout: 1m }
                """);
        setUp();
        for (String name : List.of("alice", "bob", "carol")) {
            assertThat(client().login(name, "guess-guess").status()).isEqualTo(401);
        }
        AdminClient.Response throttled = client().login("root", OWNER_PASSWORD);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.raw().headers().firstValue("Retry-After")).hasValue("60");
        clock.advance(Duration.ofSeconds(61));
        assertThat(client().login("root", OWNER_PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void sessionWritesNeedTheCsrfToken() throws Exception {
        start("");
        AdminClient owner = setUp();
        String token = owner.csrf();
        owner.csrf(null);
        AdminClient.Response missing = owner.post("/api/teams", "{\"name\":\"red\"}");
        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.errorCode()).isEqualTo("csrf_failed");
        owner.csrf("0".repeat(64));
        assertThat(owner.post("/api/teams", "{\"name\":\"red\"}").errorCode()).isEqualTo("csrf_failed");
        assertThat(owner.delete("/api/users/1").errorCode()).isEqualTo("csrf_failed");
        assertThat(owner.post("/api/logout", null).errorCode()).isEqualTo("csrf_failed");
        assertThat(owner.get("/api/teams").status()).as("reads need none").isEqualTo(200);
        owner.csrf(token);
        assertThat(owner.post("/api/teams", "{\"name\":\"red\"}").status()).isEqualTo(201);
        assertThat(client().get("/api/teams").status()).as("without any session").isEqualTo(401);
    }

    @Test
    void aViewerChangesNothing() throws Exception {
        start("");
        AdminClient owner = setUp();
        long member = createUser(owner, "mia", "member");
        long viewerId = createUser(owner, "vic", "viewer");
        long team = owner.post("/api/teams", "{\"name\":\"blue\"}").id();
        AdminClient viewer = signedIn("vic");
        assertThat(viewer.get("/api/users").status()).isEqualTo(200);
        assertThat(viewer.get("/api/audit").status()).isEqualTo(200);
        assertThat(viewer.post("/api/users", "{\"name\":\"eve\",\"password\":\"" + PASSWORD
                + "\",\"role\":\"viewer\"}").status()).isEqualTo(403);
        assertThat(viewer.patch("/api/users/" + member, "{\"name\":\"mia2\"}").status()).isEqualTo(403);
        assertThat(viewer.delete("/api/users/" + member).status()).isEqualTo(403);
        assertThat(viewer.patch("/api/users/" + viewerId, "{\"role\":\"admin\"}").status()).isEqualTo(403);
        assertThat(viewer.post("/api/teams", "{\"name\":\"green\"}").status()).isEqualTo(403);
        assertThat(viewer.patch("/api/teams/" + team, "{\"name\":\"green\"}").status()).isEqualTo(403);
        assertThat(viewer.put("/api/teams/" + team + "/members/" + viewerId).status()).isEqualTo(403);
        assertThat(viewer.delete("/api/teams/" + team).status()).isEqualTo(403);
        assertThat(viewer.post("/api/tokens", "{\"name\":\"mine\"}").status()).isEqualTo(403);
        AdminClient.Response forbidden = viewer.delete("/api/users/" + member);
        assertThat(forbidden.json().path("error").path("type").asString()).isEqualTo("permission_error");
        assertThat(owner.get("/api/users/" + member).json().path("name").asString()).isEqualTo("mia");
        assertThat(owner.get("/api/teams").json().path("data")).hasSize(1);
    }

    @Test
    void aMemberSeesOnlyTheirOwnAccountTokensAndTeams() throws Exception {
        start("");
        AdminClient owner = setUp();
        long mia = createUser(owner, "mia", "member");
        long max = createUser(owner, "max", "member");
        long blue = owner.post("/api/teams", "{\"name\":\"blue\"}").id();
        owner.post("/api/teams", "{\"name\":\"red\"}");
        assertThat(owner.put("/api/teams/" + blue + "/members/" + mia).status()).isEqualTo(200);
        long maxToken = owner.post("/api/tokens", "{\"name\":\"max-ci\",\"user_id\":" + max + "}").id();

        AdminClient member = signedIn("mia");
        assertThat(member.get("/api/users").status()).isEqualTo(403);
        assertThat(member.get("/api/users/" + max).status()).isEqualTo(403);
        assertThat(member.get("/api/users/" + mia).status()).isEqualTo(200);
        assertThat(member.get("/api/audit").status()).isEqualTo(403);
        assertThat(member.get("/api/tokens/" + maxToken).status()).isEqualTo(403);
        assertThat(member.delete("/api/tokens/" + maxToken).status()).isEqualTo(403);
        assertThat(member.post("/api/tokens", "{\"name\":\"x\",\"user_id\":" + max + "}").status()).isEqualTo(403);
        assertThat(member.post("/api/tokens", "{\"name\":\"mia-ci\"}").status()).isEqualTo(201);
        JsonNode tokens = member.get("/api/tokens").json().path("data");
        assertThat(tokens).hasSize(1);
        assertThat(tokens.get(0).path("name").asString()).isEqualTo("mia-ci");
        JsonNode teams = member.get("/api/teams").json().path("data");
        assertThat(teams).hasSize(1);
        assertThat(teams.get(0).path("name").asString()).isEqualTo("blue");
        assertThat(member.patch("/api/users/" + mia, "{\"role\":\"owner\"}").status()).isEqualTo(403);
        assertThat(member.patch("/api/users/" + mia, "{\"disabled\":true}").status()).isEqualTo(403);
        assertThat(member.patch("/api/users/" + mia, "{\"password\":\"new-password-1\"}").json()
                .path("error").path("param").asString()).isEqualTo("current_password");
        assertThat(member.patch("/api/users/" + mia, "{\"password\":\"new-password-1\",\"current_password\":\""
                + PASSWORD + "\"}").status()).isEqualTo(200);
        assertThat(member.get("/api/me").status()).as("the own session stays").isEqualTo(200);
        assertThat(client().login("mia", "new-password-1").status()).isEqualTo(200);
    }

    @Test
    void anAdminManagesEveryoneButOwners() throws Exception {
        start("");
        AdminClient owner = setUp();
        long root = owner.get("/api/me").json().path("user").path("id").asLong();
        createUser(owner, "ada", "admin");
        long mia = createUser(owner, "mia", "member");
        AdminClient admin = signedIn("ada");
        assertThat(admin.get("/api/users/" + root).status()).isEqualTo(200);
        assertThat(admin.patch("/api/users/" + root, "{\"name\":\"boss\"}").status()).isEqualTo(403);
        assertThat(admin.patch("/api/users/" + root, "{\"disabled\":true}").status()).isEqualTo(403);
        assertThat(admin.delete("/api/users/" + root).status()).isEqualTo(403);
        assertThat(admin.post("/api/users", "{\"name\":\"o2\",\"password\":\"" + PASSWORD
                + "\",\"role\":\"owner\"}").status()).isEqualTo(403);
        assertThat(admin.patch("/api/users/" + mia, "{\"role\":\"owner\"}").status()).isEqualTo(403);
        assertThat(admin.post("/api/tokens", "{\"name\":\"t\",\"user_id\":" + root + "}").status()).isEqualTo(403);
        assertThat(admin.patch("/api/users/" + mia, "{\"role\":\"viewer\"}").json().path("role").asString())
                .isEqualTo("viewer");
        long eve = createUser(admin, "eve", "member");
        assertThat(admin.delete("/api/users/" + eve).status()).isEqualTo(204);
        assertThat(admin.get("/api/users/" + eve).status()).isEqualTo(404);
        assertThat(owner.patch("/api/users/" + root, "{\"role\":\"admin\"}").errorCode())
                .as("the last owner stays").isEqualTo("last_owner");
    }

    @Test
    void disablingAUserEndsTheirSessionsAndTokens() throws Exception {
        start("");
        AdminClient owner = setUp();
        long mia = createUser(owner, "mia", "member");
        AdminClient member = signedIn("mia");
        String secret = member.post("/api/tokens", "{\"name\":\"ci\"}").json().path("token").asString();
        assertThat(owner.patch("/api/users/" + mia, "{\"disabled\":true}").status()).isEqualTo(200);
        assertThat(member.get("/api/me").status()).isEqualTo(401);
        assertThat(AdminClient.withBearer(gateway.baseUrl(), secret).get("/api/me").status()).isEqualTo(401);
        assertThat(client().login("mia", PASSWORD).status()).isEqualTo(401);
    }

    @Test
    void anAdminTokenIsShownOnceWorksWithoutCsrfAndStopsWhenRevoked() throws Exception {
        start("");
        AdminClient owner = setUp();
        AdminClient.Response created = owner.post("/api/tokens", "{\"name\":\"deploy\"}");
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().path("token").asString();
        assertThat(secret).startsWith("jat-");
        assertThat(created.json().path("display").asString())
                .isEqualTo(secret.substring(0, 8) + "…" + secret.substring(secret.length() - 4));
        long id = created.id();
        assertThat(owner.get("/api/tokens/" + id).json().has("token")).isFalse();
        assertThat(owner.get("/api/tokens").body()).doesNotContain(secret);

        AdminClient automation = AdminClient.withBearer(gateway.baseUrl(), secret);
        AdminClient.Response me = automation.get("/api/me");
        assertThat(me.json().path("auth").asString()).isEqualTo("token");
        assertThat(me.json().has("csrf_token")).isFalse();
        assertThat(automation.post("/api/teams", "{\"name\":\"ops\"}").status()).isEqualTo(201);
        assertThat(owner.get("/api/tokens/" + id).json().path("last_used_at").isNull()).isFalse();
        JsonNode audit = owner.get("/api/audit").json().path("data");
        assertThat(audit.get(0).path("action").asString()).isEqualTo("team.create");
        assertThat(audit.get(0).path("actor").asString()).isEqualTo("token deploy (root)");

        assertThat(owner.delete("/api/tokens/" + id).json().path("revoked_at").isNull()).isFalse();
        AdminClient.Response refused = automation.get("/api/me");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.errorCode()).isEqualTo("invalid_token");
    }

    @Test
    void gatewayKeysNeverOpenTheAdminApiAndAdminTokensNeverServeModels() throws Exception {
        start("");
        AdminClient owner = setUp();
        String secret = owner.post("/api/tokens", "{\"name\":\"deploy\"}").json().path("token").asString();

        AdminClient.Response withKey = AdminClient.withBearer(gateway.baseUrl(), TestGateway.KEY).get("/api/me");
        assertThat(withKey.status()).isEqualTo(401);
        assertThat(withKey.errorCode()).isEqualTo("not_an_admin_token");
        assertThat(AdminClient.withBearer(gateway.baseUrl(), TestGateway.KEY).get("/api/setup").status())
                .as("open routes need nothing").isEqualTo(200);

        assertThat(gateway.get("/v1/models", secret).statusCode()).isEqualTo(401);
        var chat = gateway.post("/v1/chat/completions",
                "{\"model\":\"any\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", secret);
        assertThat(chat.statusCode()).isEqualTo(401);
        assertThat(chat.body()).contains("not valid");
        assertThat(gateway.get("/v1/models", TestGateway.KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void everyWriteIsAuditedWithoutSecrets() throws Exception {
        start("");
        AdminClient owner = setUp();
        long mia = createUser(owner, "mia", "member");
        owner.patch("/api/users/" + mia, "{\"password\":\"changed-password-1\",\"role\":\"viewer\"}");
        long team = owner.post("/api/teams", "{\"name\":\"blue\"}").id();
        owner.put("/api/teams/" + team + "/members/" + mia);
        String token = owner.post("/api/tokens", "{\"name\":\"ci\"}").json().path("token").asString();
        owner.delete("/api/users/" + mia);

        AdminClient.Response audit = owner.get("/api/audit");
        List<String> actions = new ArrayList<>();
        audit.json().path("data").forEach(e -> actions.add(e.path("action").asString()));
        assertThat(actions).containsExactly("user.delete", "token.create", "team.member.add", "team.create",
                "user.update", "user.create", "setup.complete");
        JsonNode update = audit.json().path("data").get(4);
        assertThat(update.path("actor").asString()).isEqualTo("user root");
        assertThat(update.path("before").path("role").asString()).isEqualTo("member");
        assertThat(update.path("after").path("role").asString()).isEqualTo("viewer");
        assertThat(update.path("after").path("password_changed").asBoolean()).isTrue();
        assertThat(audit.body()).doesNotContain(PASSWORD).doesNotContain("changed-password-1")
                .doesNotContain(OWNER_PASSWORD).doesNotContain("argon2").doesNotContain(token);

        AdminClient.Response page = owner.get("/api/audit?limit=2");
        assertThat(page.json().path("data")).hasSize(2);
        long next = page.json().path("next_before").asLong();
        assertThat(owner.get("/api/audit?limit=2&before=" + next).json().path("data").get(0).path("action")
                .asString()).isEqualTo("team.member.add");
        assertThat(owner.get("/api/audit?limit=0").json().path("error").path("param").asString()).isEqualTo("limit");
    }

    @Test
    void badInputIsA400NamingTheField() throws Exception {
        start("");
        AdminClient owner = setUp();
        assertThat(owner.post("/api/users", "{\"name\":\"bob\",\"password\":\"short\",\"role\":\"member\"}")
                .json().path("error").path("param").asString()).isEqualTo("password");
        AdminClient.Response role = owner.post("/api/users",
                "{\"name\":\"bob\",\"password\":\"" + PASSWORD + "\",\"role\":\"root\"}");
        assertThat(role.status()).isEqualTo(400);
        assertThat(role.json().path("error").path("param").asString()).isEqualTo("role");
        assertThat(role.json().path("error").path("message").asString()).contains("'role'");
        assertThat(owner.post("/api/users", "{\"name\":\"bob\",\"pasword\":\"x\"}").json().path("error")
                .path("param").asString()).isEqualTo("pasword");
        assertThat(owner.post("/api/users", "{\"name\":\"no spaces\",\"password\":\"" + PASSWORD
                + "\",\"role\":\"member\"}").json().path("error").path("param").asString()).isEqualTo("name");
        assertThat(owner.post("/api/users", "not json").status()).isEqualTo(400);
        createUser(owner, "bob", "member");
        AdminClient.Response taken = owner.post("/api/users",
                "{\"name\":\"BOB\",\"password\":\"" + PASSWORD + "\",\"role\":\"member\"}");
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().path("error").path("param").asString()).isEqualTo("name");
        assertThat(owner.get("/api/users/999").status()).isEqualTo(404);
        assertThat(owner.get("/api/users/abc").status()).isEqualTo(404);
        AdminClient.Response unknown = owner.get("/api/nothing-here");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").path("type").asString()).isEqualTo("not_found_error");
        assertThat(owner.send("PUT", "/api/users", "{}").status()).isEqualTo(405);
    }

    @Test
    void adminPasswordInTheConfigSeedsTheOwner() throws Exception {
        start("""
                admin:
                  password: seeded-owner-password
                """);
        assertThat(client().get("/api/setup").json().path("needed").asBoolean()).isFalse();
        AdminClient admin = client();
        assertThat(admin.login("admin", "seeded-owner-password").status()).isEqualTo(200);
        assertThat(admin.get("/api/me").json().path("user").path("role").asString()).isEqualTo("owner");
        assertThat(client().post("/api/setup", "{\"name\":\"x\",\"password\":\"" + PASSWORD + "\"}").status())
                .isEqualTo(409);
    }
}
