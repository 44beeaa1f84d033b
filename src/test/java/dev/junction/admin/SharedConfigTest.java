package dev.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.admin.AdminClient.Response;
import dev.junction.testing.Chat;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.PostgresSchema;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Two gateways sharing only the machine's PostgreSQL (a schema of its own) and Redis (a prefix of
 * its own): a channel added, then disabled, through A's admin API is served, then no longer
 * served, by B within a second; without the announcement (Redis away from B), B still catches up
 * from the database's version within its 5 s check.
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
        try (Jedis jedis = new Jedis("127.0.0.1", 6379)) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(prefix + "*").count(1000));
                page.getResult().forEach(jedis::del);
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }

    private TestGateway start(String redisUrl) throws Exception {
        TestGateway gateway = TestGateway.start("redis: \"" + redisUrl + "?prefix=" + prefix + "&timeout_ms=1000\"\n",
                dev.junction.core.Clock.system(), postgres.url());
        open.add(gateway);
        return gateway;
    }

    private static int chat(TestGateway gateway) throws Exception {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", Chat.body("chat", false));
        return response.statusCode();
    }

    /** How long until {@code gateway} answers chat with {@code status}; fails after 10 s. */
    private static Duration until(TestGateway gateway, int status) throws Exception {
        long start = System.nanoTime();
        while (chat(gateway) != status) {
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
}
