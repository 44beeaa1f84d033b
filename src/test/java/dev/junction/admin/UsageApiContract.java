package dev.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.Attempt;
import dev.junction.core.EndReason;
import dev.junction.core.RequestIds;
import dev.junction.core.TokenSource;
import dev.junction.core.TokenUsage;
import dev.junction.testing.FakeMedia;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.MutableClock;
import dev.junction.testing.TestGateway;
import dev.junction.usage.UsageRecord;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The stats API over real HTTP on a real gateway that served real requests: totals, top-N, time
 * series, raw rows with keyset paging, one request with its attempts, the CSV export, and what a
 * member may see. Run on SQLite and PostgreSQL by the subclasses.
 */
abstract class UsageApiContract {

    private final MutableClock clock = new MutableClock();
    private TestGateway gateway;
    private FakeOpenAi openai;
    private FakeMedia media;

    /** The database URL a test's gateway uses. */
    abstract String databaseUrl();

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (openai != null) {
            openai.close();
        }
        if (media != null) {
            media.close();
        }
    }

    private void start(String yaml) throws Exception {
        gateway = TestGateway.start(yaml, clock, databaseUrl());
    }

    private AdminClient client() {
        return new AdminClient(gateway.baseUrl());
    }

    private AdminClient setUp() throws Exception {
        AdminClient owner = client();
        AdminClient.Response created = owner.post("/api/setup",
                "{\"name\":\"root\",\"password\":\"" + AdminApiContract.OWNER_PASSWORD + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        owner.keepSession(created);
        return owner;
    }

    private AdminClient signedIn(String name) throws Exception {
        AdminClient client = client();
        assertThat(client.login(name, AdminApiContract.PASSWORD).status()).isEqualTo(200);
        return client;
    }

    private AdminClient startWithTraffic(int requests) throws Exception {
        openai = FakeOpenAi.start("sk-fake-oa");
        openai.always(FakeProvider.text("Hello from the fake"));
        start("channels:\n" + TestGateway.channel("oa", openai, "{chat: gpt-4o, mini: gpt-4o-mini}", ""));
        for (int i = 0; i < requests; i++) {
            String model = i % 3 == 0 ? "mini" : "chat";
            var response = gateway.post("/v1/chat/completions", "{\"model\":\"" + model + "\",\"stream\":" + (i % 2 == 0)
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
            assertThat(response.statusCode()).isEqualTo(200);
        }
        gateway.post("/v1/chat/completions", "{\"model\":\"nope\",\"messages\":[]}"); // 400, rejected
        gateway.usageRows(requests + 1); // a row is queued just after its answer
        return setUp();
    }

    private String range() {
        Instant now = clock.now();
        return "from=" + enc(now.minusSeconds(3600).toString()) + "&to=" + enc(now.plusSeconds(60).toString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void totalsTopAndSeriesCountEveryRequestWithItsTokensAndCost() throws Exception {
        AdminClient owner = startWithTraffic(9);
        JsonNode summary = owner.get("/api/usage/summary?" + range() + "&bucket=minute").json();
        JsonNode totals = summary.path("totals");
        assertThat(summary.path("bucket").asString()).isEqualTo("minute");
        assertThat(totals.path("requests").asLong()).isEqualTo(10);
        assertThat(totals.path("ok").asLong()).isEqualTo(9);
        assertThat(totals.path("client_errors").asLong()).isEqualTo(1);
        assertThat(totals.path("success_rate").asDouble()).isEqualTo(0.9);
        assertThat(totals.path("failover_rate").asDouble()).isZero();
        assertThat(totals.path("tokens").path("output").asLong()).isPositive();
        assertThat(totals.path("cost").path("micros").asLong()).isPositive();
        assertThat(totals.path("cost").path("usd").asString()).matches("\\d+\\.\\d{6}");
        assertThat(totals.path("latency_ms").path("p95").asLong()).isPositive();
        assertThat(totals.path("ttft_ms").path("p50").isNumber()).isTrue();

        JsonNode top = owner.get("/api/usage/top?" + range() + "&by=model&order=cost").json();
        assertThat(top.path("data").valueStream()
                .map(g -> g.path("key").isNull() ? "(none)" : g.path("key").asString()).toList())
                .as("the request refused before its model was read has none").containsExactly("chat", "mini", "(none)");
        assertThat(top.path("data").get(0).path("totals").path("requests").asLong()).isEqualTo(6);
        JsonNode byChannel = owner.get("/api/usage/top?" + range() + "&by=channel").json();
        assertThat(byChannel.path("data").get(0).path("name").asString()).isEqualTo("oa");
        assertThat(byChannel.path("data").get(0).path("totals").path("requests").asLong()).isEqualTo(9);

        JsonNode series = owner.get("/api/usage/series?" + range() + "&bucket=hour&by=upstream_model").json();
        long inSeries = series.path("data").valueStream().mapToLong(p -> p.path("totals").path("requests").asLong()).sum();
        assertThat(inSeries).isEqualTo(10);
        assertThat(series.path("data").get(0).path("t").asString()).endsWith(":00:00Z");

        assertThat(owner.get("/api/usage/top?" + range() + "&by=colour").status()).isEqualTo(400);
        assertThat(owner.get("/api/usage/summary?from=yesterday").status()).isEqualTo(400);
    }

    @Test
    void topAndSeriesByEndpointBreakMediaUsageDownWithLatencyFromTheEndpointRollups() throws Exception {
        openai = FakeOpenAi.start("sk-fake-oa");
        openai.always(FakeProvider.text("Hello from the fake"));
        media = FakeMedia.start("sk-media", java.nio.file.Files.createTempDirectory("junction-media"));
        start("channels:\n" + TestGateway.channel("oa", openai, "{chat: gpt-4o}", "")
                + dev.junction.ingress.MediaEndpointsTest.mediaChannel("media", media, "sk-media",
                        "{img: dall-e-2, rank: jina-reranker-v2, tts: gpt-4o-mini-tts}", 0));
        for (int i = 0; i < 3; i++) {
            assertThat(gateway.post("/v1/chat/completions", "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"Hi\"}]}").statusCode()).isEqualTo(200);
        }
        for (int i = 0; i < 2; i++) {
            var image = gateway.post("/v1/images/generations", "{\"model\":\"img\",\"prompt\":\"a fox\",\"n\":2}");
            assertThat(image.statusCode()).as(image.body()).isEqualTo(200);
        }
        assertThat(gateway.post("/v1/rerank", "{\"model\":\"rank\",\"query\":\"fox\",\"documents\":[\"a fox\","
                + "\"a dog\"]}").statusCode()).isEqualTo(200);
        media.then(new FakeMedia.Fail(500, java.util.Map.of()));
        assertThat(gateway.post("/v1/audio/speech", "{\"model\":\"tts\",\"input\":\"hi\",\"voice\":\"alloy\"}")
                .statusCode()).isGreaterThanOrEqualTo(500);
        gateway.usageRows(7);
        AdminClient owner = setUp();

        JsonNode top = owner.get("/api/usage/top?" + range() + "&by=endpoint&order=requests").json();
        assertThat(top.path("by").asString()).isEqualTo("endpoint");
        assertThat(top.path("data").valueStream().map(g -> g.path("key").asString() + "=" + g.path("name").asString()
                + ":" + g.path("totals").path("requests").asLong()).toList())
                .containsExactly("chat=chat:3", "images/generations=images/generations:2", "audio/speech=audio/speech:1",
                        "rerank=rerank:1");
        JsonNode images = top.path("data").get(1).path("totals");
        assertThat(images.path("ok").asLong()).isEqualTo(2);
        assertThat(images.path("latency_ms").path("p95").asLong()).as("latency comes with the endpoint rollups")
                .isPositive();
        assertThat(images.path("cost").path("micros").asLong()).as("4 dall-e-2 images at the catalog's price")
                .isPositive();
        JsonNode speech = top.path("data").get(2).path("totals");
        assertThat(speech.path("server_errors").asLong()).isEqualTo(1);
        assertThat(speech.path("success_rate").asDouble()).isZero();

        JsonNode byErrors = owner.get("/api/usage/top?" + range() + "&by=endpoint&order=errors&limit=1").json();
        assertThat(byErrors.path("data").get(0).path("key").asString()).isEqualTo("audio/speech");
        JsonNode filtered = owner.get("/api/usage/top?" + range() + "&by=endpoint&model=img").json();
        assertThat(filtered.path("data")).hasSize(1);
        assertThat(filtered.path("data").get(0).path("key").asString()).isEqualTo("images/generations");

        JsonNode series = owner.get("/api/usage/series?" + range() + "&bucket=minute&by=endpoint&groups=2").json();
        assertThat(series.path("by").asString()).isEqualTo("endpoint");
        java.util.Map<String, Long> perGroup = new java.util.TreeMap<>();
        series.path("data").forEach(p -> perGroup.merge(p.path("key").asString(),
                p.path("totals").path("requests").asLong(), Long::sum));
        assertThat(perGroup).as("the two largest endpoints, the rest as other")
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("chat", 3L, "images/generations", 2L, "other", 2L));
    }

    @Test
    void rawRowsPageByCursorAndOneRequestShowsEveryAttempt() throws Exception {
        AdminClient owner = startWithTraffic(7);
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = owner.get("/api/usage/requests?" + range() + "&model=chat&limit=2"
                    + (cursor == null ? "" : "&cursor=" + enc(cursor))).json();
            page.path("data").forEach(r -> {
                assertThat(r.path("model").asString()).isEqualTo("chat");
                assertThat(r.path("client_api").asString()).isEqualTo("openai");
                assertThat(r.path("token_source").asString()).isEqualTo("provider");
                assertThat(seen.add(r.path("request_id").asString())).isTrue();
            });
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asString();
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSize(4);
        assertThat(pages).isEqualTo(3);

        String id = seen.iterator().next();
        JsonNode detail = owner.get("/api/usage/requests/" + id).json();
        assertThat(detail.path("request_id").asString()).isEqualTo(id);
        assertThat(detail.path("attempts").get(0).path("channel").asString()).isEqualTo("oa");
        assertThat(detail.path("attempts").get(0).path("outcome").asString()).isEqualTo("ok");
        assertThat(detail.path("cost_usd").asString()).isNotBlank();
        assertThat(owner.get("/api/usage/requests/no-such-request").status()).isEqualTo(404);

        JsonNode failed = owner.get("/api/usage/requests?" + range() + "&end_reason=rejected").json();
        assertThat(failed.path("data")).hasSize(1);
        assertThat(failed.path("data").get(0).path("status").asInt()).isEqualTo(400);
    }

    @Test
    void theCsvExportStreamsEveryMatchingRow() throws Exception {
        AdminClient owner = startWithTraffic(5);
        AdminClient.Response csv = owner.get("/api/usage/export?" + range());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.raw().headers().firstValue("content-type").orElseThrow()).startsWith("text/csv");
        assertThat(csv.raw().headers().firstValue("content-disposition").orElseThrow()).contains("usage.csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.getFirst()).startsWith("at,request_id,key,");
        assertThat(lines).hasSize(1 + 6);
        assertThat(lines.get(1).split(",", -1)).hasSize(lines.getFirst().split(",").length);
    }

    @Test
    void aMemberSeesOnlyTheirOwnUsageAndATokenReadsLikeItsOwner() throws Exception {
        AdminClient owner = startWithTraffic(3);
        long member = AdminApiContract.createUser(owner, "mia", "member");
        // Rows of mia's keys (keys-in-DB will set user_id; here written as the writer would get them).
        List<UsageRecord> rows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rows.add(new UsageRecord(RequestIds.next(clock), clock.now(), "mia-key", "chat", "oa", "gpt-4o", 200,
                    new TokenUsage(10, 5, 0, 0, 0), 30, 10, false, List.of(new Attempt("oa", "", 200, "ok", 30)),
                    EndReason.DONE, 99L, null, 7L, "openai", TokenSource.PROVIDER, "10.1.1.1", member, null, null));
        }
        rows.forEach(gateway.gateway().usage()::record);
        gateway.gateway().usage().flush(10, TimeUnit.SECONDS);

        // A real request with a key the owner made for mia: the writer fills in its owner.
        AdminClient.Response key = owner.post("/api/keys", "{\"name\":\"mia-laptop\",\"user_id\":" + member + "}");
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        var served = gateway.post("/v1/chat/completions",
                "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                key.json().path("key").asString());
        assertThat(served.statusCode()).isEqualTo(200);
        gateway.usageRows(4 + 4 + 1); // its row is queued just after the answer

        AdminClient mia = signedIn("mia");
        JsonNode mine = mia.get("/api/usage/summary?" + range()).json();
        assertThat(mine.path("totals").path("requests").asLong()).isEqualTo(5);
        JsonNode page = mia.get("/api/usage/requests?" + range()).json().path("data");
        assertThat(page).hasSize(5);
        JsonNode real = page.get(0);
        assertThat(real.path("key").asString()).isEqualTo("mia-laptop");
        assertThat(real.path("user_id").asLong()).isEqualTo(member);
        assertThat(real.path("config_version").asInt()).as("the routing-config version it was routed under")
                .isPositive();
        assertThat(mia.get("/api/usage/top?" + range() + "&by=user").json().path("data").get(0).path("name")
                .asString()).isEqualTo("mia");
        assertThat(mia.get("/api/usage/requests/" + rows.get(1).requestId()).status()).isEqualTo(200);
        String someoneElses = owner.get("/api/usage/requests?" + range() + "&model=mini").json()
                .path("data").get(0).path("request_id").asString();
        assertThat(mia.get("/api/usage/requests/" + someoneElses).status()).isEqualTo(404);
        assertThat(mia.get("/api/usage/summary?" + range() + "&user_id=1").status()).isEqualTo(403);
        assertThat(mia.get("/api/usage/export?" + range()).body().lines().count()).isEqualTo(1 + 5);

        assertThat(owner.get("/api/usage/summary?" + range()).json().path("totals").path("requests").asLong())
                .isEqualTo(4 + 5);
        String token = owner.post("/api/tokens", "{\"name\":\"dashboard\"}").json().path("token").asString();
        AdminClient automation = AdminClient.withBearer(gateway.baseUrl(), token);
        assertThat(automation.get("/api/usage/summary?" + range()).json().path("totals").path("requests").asLong())
                .isEqualTo(9);
        assertThat(client().get("/api/usage/summary").status()).isEqualTo(401);
    }
}
