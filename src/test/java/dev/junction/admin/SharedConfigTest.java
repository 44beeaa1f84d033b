package dev.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.admin.AdminClient.Response;
import dev.junction.testing.Chat;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.PostgresSchema;
import dev.junction.testing.RedisKeys;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two gateways sharing only the machine's PostgreSQL (a schema of its own) and Redis (a prefix of
 * its own): a channel added, then disabled, through A's admin API is served, then no longer
 * served, by B within a second; without the announcement (Redis away from B), B still catches up
 * from the database's version within its 5 s check. A user disabled through A loses their keys on
 * B within a second; limits set through A apply on B within a second; a key or a channel made
 * through A works on B at once; and a new key is never served, on either, without its team's limits.
 */
class SharedConfigTest {

    @RegisterExtension
    final PostgresSchema postgres = new PostgresSchema("junction_cfg");
    private final String prefix = "junction-cfg-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        RedisKeys.deleteAll(prefix);
    }

    private TestGateway start(String redisUrl) throws Exception {
        TestGateway gateway = TestGateway.start("redis: \"" + redisUrl + "?prefix=" + prefix + "&timeout_ms=1000\"\n",
                dev.junction.core.Clock.system(), postgres.url());
        open.add(gateway);
        return gateway;
    }

    private static int chat(TestGateway gateway) throws Exception {
        return chat(gateway, TestGateway.KEY);
    }

    private static int chat(TestGateway gateway, String key) throws Exception {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", Chat.body("chat", false), key);
        return response.statusCode();
    }

    /** How long until {@code gateway} answers chat with {@code status}; fails after 10 s. */
    private static Duration until(TestGateway gateway, int status) throws Exception {
        return until(gateway, TestGateway.KEY, status);
    }

    /** How long until {@code gateway} answers chat under {@code key} with {@code status}; fails after 10 s. */
    private static Duration until(TestGateway gateway, String key, int status) throws Exception {
        long start = System.nanoTime();
        while (chat(gateway, key) != status) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            Thread.sleep(20);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void aChannelDisabledThroughOneInstancesApiGetsNoTrafficOnTheOtherWithinASecond() throws Exception {
        FakeOpenAi upstream = FakeOpenAi.start(RuntimeConfigContract.PROVIDER_KEY);
        open.add(upstream);
        TestGateway a = start("redis://127.0.0.1:6379");
        TestGateway b = start("redis://127.0.0.1:6379");
        AdminClient owner = new AdminClient(a.baseUrl());
        Response created = owner.post("/api/setup", "{\"name\":\"root\",\"password\":\""
                + RuntimeConfigContract.OWNER_PASSWORD + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        owner.keepSession(created);
        assertThat(chat(b)).isEqualTo(404);

        Response added = owner.post("/api/channels", RuntimeConfigContract.channelJson("added", upstream, "[\"chat\"]"));
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(until(b, 200)).as("B serves the channel A added").isLessThan(Duration.ofSeconds(1));
        assertThat(b.gateway().live().version()).isEqualTo(a.gateway().live().version());

        Response disabled = owner.patch("/api/channels/" + added.id(), "{\"enabled\":false}");
        assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
        int before = upstream.requestCount();
        Duration took = until(b, 404);
        assertThat(took).as("B stops routing to the channel A disabled").isLessThan(Duration.ofSeconds(1));
        for (int i = 0; i < 5; i++) {
            assertThat(chat(b)).isEqualTo(404);
        }
        assertThat(upstream.requestCount() - before).as("what B sent it before it learned").isLessThanOrEqualTo(
                (int) (took.toMillis() / 20) + 1);
    }

    @Test
    void withoutTheAnnouncementTheStoredVersionCheckCatchesUp() throws Exception {
        FakeOpenAi upstream = FakeOpenAi.start(RuntimeConfigContract.PROVIDER_KEY);
        open.add(upstream);
        TestGateway a = start("redis://127.0.0.1:6379");
        try (dev.junction.testing.TcpProxy proxy = dev.junction.testing.TcpProxy.to("127.0.0.1", 6379)) {
            TestGateway b = start("redis://127.0.0.1:" + proxy.port());
            proxy.cut();
            AdminClient owner = new AdminClient(a.baseUrl());
            Response created = owner.post("/api/setup", "{\"name\":\"root\",\"password\":\""
                    + RuntimeConfigContract.OWNER_PASSWORD + "\"}");
            owner.keepSession(created);
            Response added = owner.post("/api/channels",
                    RuntimeConfigContract.channelJson("added", upstream, "[\"chat\"]"));
            assertThat(added.status()).as(added.body()).isEqualTo(201);
            assertThat(until(b, 200)).as("found by the 5 s check").isLessThan(Duration.ofSeconds(8));
            b.close();
        }
    }

    @Test
    void routingRulesSetThroughOneInstancesApiRouteTheOthersTraffic() throws Exception {
        FakeOpenAi upstream = FakeOpenAi.start(RuntimeConfigContract.PROVIDER_KEY);
        open.add(upstream);
        TestGateway a = start("redis://127.0.0.1:6379");
        TestGateway b = start("redis://127.0.0.1:6379");
        AdminClient owner = new AdminClient(a.baseUrl());
        Response created = owner.post("/api/setup", "{\"name\":\"root\",\"password\":\""
                + RuntimeConfigContract.OWNER_PASSWORD + "\"}");
        owner.keepSession(created);
        assertThat(owner.post("/api/channels", RuntimeConfigContract.channelJson("cheap", upstream,
                "{\"small\":\"glm-4.5-air\"}")).status()).isEqualTo(201);
        assertThat(owner.post("/api/channels", RuntimeConfigContract.channelJson("strong", upstream,
                "{\"frontier\":\"claude-sonnet-4-5\"}")).status()).isEqualTo(201);
        Response rule = owner.send("PUT", "/api/routing/rules/auto",
                "{\"complexity\":{\"simple\":\"small\",\"hard\":\"frontier\"}}");
        assertThat(rule.status()).as(rule.body()).isEqualTo(201);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        HttpResponse<String> served;
        do {
            served = b.post("/v1/chat/completions", Chat.body("auto", false));
            Thread.sleep(20);
        } while (served.statusCode() != 200 && System.nanoTime() < deadline);
        assertThat(served.statusCode()).as("B routes the model A's rules made").isEqualTo(200);
        assertThat(served.headers().firstValue("x-junction-channel")).contains("cheap");
        assertThat(b.gateway().live().version()).isEqualTo(a.gateway().live().version());
    }

    @Test
    void settingsChangedThroughOneInstancesApiApplyOnTheOther() throws Exception {
        TestGateway a = start("redis://127.0.0.1:6379");
        TestGateway b = start("redis://127.0.0.1:6379");
        AdminClient owner = new AdminClient(a.baseUrl());
        Response created = owner.post("/api/setup", "{\"name\":\"root\",\"password\":\""
                + RuntimeConfigContract.OWNER_PASSWORD + "\"}");
        owner.keepSession(created);
        assertThat(b.gateway().router().failover().maxAttempts()).isEqualTo(5);
        Response changed = owner.patch("/api/settings",
                "{\"failover\":{\"max_attempts\":2,\"hedge_after\":\"p95\"},\"usage\":{\"keep_raw\":\"7d\"}}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (b.gateway().router().failover().maxAttempts() != 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(b.gateway().router().failover().maxAttempts()).as("B runs on the settings A changed").isEqualTo(2);
        assertThat(b.gateway().router().failover().hedge().p95()).isTrue();
        assertThat(b.gateway().live().settings().usage().keepRaw()).isEqualTo(Duration.ofDays(7));
        assertThat(b.gateway().live().version()).isEqualTo(a.gateway().live().version());
    }

    /** The owner, signed in on {@code a}, with a channel serving "chat" made through the API. */
    private AdminClient ownerWithChannel(TestGateway a) throws Exception {
        FakeOpenAi upstream = FakeOpenAi.start(RuntimeConfigContract.PROVIDER_KEY);
        open.add(upstream);
        AdminClient owner = new AdminClient(a.baseUrl());
        Response created = owner.post("/api/setup", "{\"name\":\"root\",\"password\":\""
                + RuntimeConfigContract.OWNER_PASSWORD + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        owner.keepSession(created);
        Response added = owner.post("/api/channels", RuntimeConfigContract.channelJson("added", upstream, "[\"chat\"]"));
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        return owner;
    }

    @Test
    void aUserDisabledOrDeletedThroughOneInstanceLosesTheirKeysOnTheOtherWithinASecond() throws Exception {
        TestGateway a = start("redis://127.0.0.1:6379");
        TestGateway b = start("redis://127.0.0.1:6379");
        AdminClient owner = ownerWithChannel(a);
        Response user = owner.post("/api/users", "{\"name\":\"dana\",\"password\":\"dana-password-1\","
                + "\"role\":\"member\"}");
        assertThat(user.status()).as(user.body()).isEqualTo(201);
        Response key = owner.post("/api/keys", "{\"name\":\"dana-laptop\",\"user_id\":" + user.id() + "}");
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        String secret = key.json().path("key").stringValue();
        assertThat(until(b, secret, 200)).as("B serves the key A made").isLessThan(Duration.ofSeconds(1));

        assertThat(owner.patch("/api/users/" + user.id(), "{\"disabled\":true}").status()).isEqualTo(200);
        assertThat(chat(a, secret)).isEqualTo(401);
        assertThat(until(b, secret, 401)).as("B refuses the key of the user A disabled").isLessThan(Duration.ofSeconds(1));

        assertThat(owner.patch("/api/users/" + user.id(), "{\"disabled\":false}").status()).isEqualTo(200);
        assertThat(until(b, secret, 200)).as("and serves it again once A enabled them").isLessThan(Duration.ofSeconds(1));

        assertThat(owner.delete("/api/users/" + user.id()).status()).isEqualTo(204);
        assertThat(until(b, secret, 401)).as("B refuses the key of the user A deleted").isLessThan(Duration.ofSeconds(1));
        assertThat(b.gateway().live().version()).isEqualTo(a.gateway().live().version());
    }

    @Test
    void aKeyOrChannelMadeThroughOneInstanceWorksOnTheOtherAtOnce() throws Exception {
        TestGateway a = start("redis://127.0.0.1:6379");
        TestGateway b = start("redis://127.0.0.1:6379");
        AdminClient owner = ownerWithChannel(a);
        until(b, 200);
        for (int i = 0; i < 5; i++) {
            // a script that makes a key and uses it at once, behind a load balancer
            Response key = owner.post("/api/keys", "{\"name\":\"ci-job-" + i + "\"}");
            assertThat(key.status()).as(key.body()).isEqualTo(201);
            HttpResponse<String> first = b.post("/v1/chat/completions", Chat.body("chat", false),
                    key.json().path("key").stringValue());
            assertThat(first.statusCode()).as("B waits for the rebuild in flight: " + first.body()).isEqualTo(200);
        }
        assertThat(chat(b, "sk-never-made-" + UUID.randomUUID())).as("a key no one made is still refused").isEqualTo(401);

        FakeOpenAi second = FakeOpenAi.start(RuntimeConfigContract.PROVIDER_KEY);
        open.add(second);
        for (int i = 0; i < 3; i++) {
            String model = "fresh-" + i;
            Response channel = owner.post("/api/channels",
                    RuntimeConfigContract.channelJson("fresh-" + i, second, "[\"" + model + "\"]"));
            assertThat(channel.status()).as(channel.body()).isEqualTo(201);
            HttpResponse<String> first = b.post("/v1/chat/completions", Chat.body(model, false), TestGateway.KEY);
            assertThat(first.statusCode()).as("B serves the channel A just made: " + first.body()).isEqualTo(200);
        }
        assertThat(b.post("/v1/chat/completions", Chat.body("never-made", false), TestGateway.KEY).statusCode())
                .isEqualTo(404);
    }

    @Test
    void aNewKeyIsServedOnNeitherInstanceWithoutItsTeamsLimits() throws Exception {
        TestGateway a = start("redis://127.0.0.1:6379");
        TestGateway b = start("redis://127.0.0.1:6379");
        AdminClient owner = ownerWithChannel(a);
        long ownerId = owner.get("/api/me").json().path("user").path("id").asLong();
        Response team = owner.post("/api/teams", "{\"name\":\"research\"}");
        assertThat(team.status()).as(team.body()).isEqualTo(201);
        assertThat(owner.put("/api/teams/" + team.id() + "/members/" + ownerId).status()).isEqualTo(200);
        Response limit = owner.send("PUT", "/api/limits/teams/" + team.id(), "{\"limits\":{\"rpm\":1}}");
        assertThat(limit.status()).as(limit.body()).isEqualTo(200);

        Response key = owner.post("/api/keys", "{\"name\":\"research-ci\",\"team_id\":" + team.id() + "}");
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        String secret = key.json().path("key").stringValue();
        // At once, with no reload in between: the key's first minute allows one request in the
        // whole team, on whichever instance.
        assertThat(chat(a, secret)).isEqualTo(200);
        assertThat(chat(a, secret)).as("A counts the new key against its team at once").isEqualTo(429);
        int first;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        do {
            first = chat(b, secret);
        } while (first == 401 && System.nanoTime() < deadline);
        assertThat(first).as("the first request B serves under the key is counted against its team").isEqualTo(429);
    }

    @Test
    void limitsSetThroughOneInstanceApplyOnTheOtherWithinASecond() throws Exception {
        TestGateway a = start("redis://127.0.0.1:6379");
        TestGateway b = start("redis://127.0.0.1:6379");
        AdminClient owner = ownerWithChannel(a);
        AdminClient onB = new AdminClient(b.baseUrl());
        onB.login("root", RuntimeConfigContract.OWNER_PASSWORD);
        Response key = owner.post("/api/keys", "{\"name\":\"scripts\"}");
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        String path = "/api/limits/keys/" + key.id();
        Response set = owner.send("PUT", path, "{\"limits\":{\"rpm\":7},\"budget\":{\"usd\":\"3\",\"period\":\"day\"}}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        long start = System.nanoTime();
        while (onB.get(path).json().path("limits").path("rpm").asInt() != 7) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("B has the limit A set")
                    .isLessThan(Duration.ofSeconds(1));
            Thread.sleep(10);
        }
        assertThat(new java.math.BigDecimal(onB.get(path).json().path("budget").path("usd").asString()))
                .isEqualByComparingTo("3");
    }
}
