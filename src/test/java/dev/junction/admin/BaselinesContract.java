package dev.junction.admin;

import static dev.junction.testing.TestGateway.channel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.junction.admin.AdminClient.Response;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.MutableClock;
import dev.junction.testing.TestGateway;
import dev.junction.usage.Baselines;
import dev.junction.usage.Baselines.Metric;
import dev.junction.usage.Baselines.Verdict;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Versions and baselines with real traffic: two fake OpenAI channels behind one public model report
 * the tokens each request names, so the test knows every cost. A weight change (a reload) is a new
 * version: the records carry it, its baseline starts empty, and noise between two samples of the
 * same distribution is not called a change; a deliberate doubling of the prices is, once both sides
 * have the minimum sample. On each database (see the subclasses).
 */
abstract class BaselinesContract {

    static final String OWNER_PASSWORD = "owner-password-1";

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock();
    final List<AutoCloseable> open = new ArrayList<>();
    TestGateway gateway;
    Path file;

    abstract String databaseUrl();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    /** A fake that answers with the token counts the request's text names: "tokens 120 45". */
    FakeOpenAi fake() throws Exception {
        FakeOpenAi fake = FakeOpenAi.start();
        fake.always(new FakeProvider.Scripted(request -> {
            String[] words = request.body().path("messages").get(0).path("content").asString().split(" ");
            return new FakeProvider.Text("ok", 1, Long.parseLong(words[1]), Long.parseLong(words[2]));
        }));
        open.add(fake);
        return fake;
    }

    static String config(FakeOpenAi a, FakeOpenAi b, int weightA, String input, String output) {
        String prices = "prices:\n  m-1: { input: " + input + ", output: " + output + " }\n";
        return "channels:\n" + channel("alpha", a, "{chat: m-1}", "weight: " + weightA + "\n" + prices)
                + channel("beta", b, "{chat: m-1}", "weight: 1\n" + prices);
    }

    /** {@code n} requests whose token counts are drawn from one distribution (prompt 50–150, completion 20–80). */
    void traffic(int n, SplittableRandom random) throws Exception {
        for (int i = 0; i < n; i++) {
            String content = "tokens " + random.nextInt(50, 151) + " " + random.nextInt(20, 81);
            HttpResponse<String> reply = gateway.post("/v1/chat/completions",
                    "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}");
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        }
    }

    long reload(AdminClient owner, String yaml) throws Exception {
        Files.writeString(file, TestGateway.configText(yaml, databaseUrl()));
        Response reloaded = owner.post("/api/reload", null);
        assertThat(reloaded.status()).as(reloaded.body()).isEqualTo(200);
        return reloaded.json().path("version").asLong();
    }

    static JsonNode change(JsonNode comparison, String metric) {
        for (JsonNode c : comparison.path("changes")) {
            if (c.path("metric").asString().equals(metric)) {
                return c;
            }
        }
        throw new AssertionError("no " + metric + " in " + comparison);
    }

    @Test
    void aNewVersionStartsAFreshBaselineAndADoubledPriceIsCalledButNoiseIsNot() throws Exception {
        FakeOpenAi alpha = fake();
        FakeOpenAi beta = fake();
        file = dir.resolve("junction.yaml");
        Files.writeString(file, TestGateway.configText(config(alpha, beta, 1, "1.00", "2.00"), databaseUrl()));
        gateway = TestGateway.fromFile(file, clock);
        open.add(gateway);
        AdminClient owner = new AdminClient(gateway.baseUrl());
        Response created = owner.post("/api/setup", "{\"name\":\"root\",\"password\":\"" + OWNER_PASSWORD + "\"}");
        owner.keepSession(created);
        long v1 = gateway.gateway().live().version();

        traffic(40, new SplittableRandom(1));
        gateway.usageRows(40);
        clock.advance(Duration.ofHours(1));
        long v2 = reload(owner, config(alpha, beta, 3, "1.00", "2.00"));
        assertThat(v2).isEqualTo(v1 + 1);
        JsonNode weight = owner.get("/api/versions").json().path("data").get(0);
        assertThat(weight.path("summary").asString()).isEqualTo("channel 'alpha' changed (weight)");
        assertThat(weight.path("actor").asString()).isEqualTo("user root");
        assertThat(weight.path("previous").asLong()).isEqualTo(v1);
        assertThat(weight.path("diff").path("channels").get(0).path("fields").path("weight").path("after").asInt())
                .isEqualTo(3);

        JsonNode fresh = owner.get("/api/baselines").json();
        assertThat(fresh.path("version").asLong()).isEqualTo(v2);
        assertThat(fresh.path("against").asLong()).isEqualTo(v1);
        JsonNode freshChat = fresh.path("models").get(0);
        assertThat(freshChat.path("current").path("requests").asLong()).as("a new version starts empty").isZero();
        assertThat(freshChat.path("previous").path("requests").asLong()).isEqualTo(40);
        assertThat(change(freshChat, "cost_per_request").path("verdict").asString()).isEqualTo("too_few");

        traffic(40, new SplittableRandom(2));
        List<Map<String, Object>> rows = gateway.usageRows(80);
        assertThat(rows).hasSize(80);
        assertThat(rows.subList(0, 40)).allSatisfy(r -> assertThat(((Number) r.get("config_version")).longValue())
                .isEqualTo(v1));
        assertThat(rows.subList(40, 80)).allSatisfy(r -> assertThat(((Number) r.get("config_version")).longValue())
                .isEqualTo(v2));

        JsonNode noise = owner.get("/api/baselines").json();
        JsonNode chat = noise.path("models").get(0);
        assertThat(chat.path("model").asString()).isEqualTo("chat");
        assertThat(chat.path("current").path("requests").asLong()).isEqualTo(40);
        assertThat(chat.path("previous").path("requests").asLong()).isEqualTo(40);
        JsonNode cost = change(chat, "cost_per_request");
        assertThat(cost.path("verdict").asString()).as(cost.toString()).isEqualTo("within_noise");
        assertThat(Math.abs(cost.path("delta").asDouble())).as("the difference is inside its interval")
                .isLessThanOrEqualTo(cost.path("margin").asDouble());
        assertThat(change(chat, "tokens_per_request").path("verdict").asString()).isEqualTo("within_noise");
        assertThat(change(chat, "error_rate").path("verdict").asString()).isEqualTo("within_noise");
        assertThat(chat.path("current").path("channel_mix").path("alpha").asDouble())
                .as("three times the weight").isGreaterThan(chat.path("previous").path("channel_mix").path("alpha")
                        .asDouble());
        assertThat(noise.path("channels").size()).as("chat on alpha and on beta").isEqualTo(2);
        assertThat(noise.path("flagged").toString()).doesNotContain("cost per request");

        clock.advance(Duration.ofHours(1));
        long v3 = reload(owner, config(alpha, beta, 3, "2.00", "4.00"));
        assertThat(v3).isEqualTo(v2 + 1);
        assertThat(owner.get("/api/versions").json().path("data").get(0).path("summary").asString())
                .contains("channel 'alpha' changed (prices)").contains("channel 'beta' changed (prices)");
        traffic(10, new SplittableRandom(3));
        gateway.usageRows(90);
        JsonNode early = owner.get("/api/baselines").json().path("models").get(0);
        assertThat(change(early, "cost_per_request").path("verdict").asString())
                .as("10 requests are below the minimum sample").isEqualTo("too_few");

        traffic(30, new SplittableRandom(4));
        gateway.usageRows(120);
        JsonNode doubled = owner.get("/api/baselines").json();
        assertThat(doubled.path("against").asLong()).isEqualTo(v2);
        JsonNode priced = change(doubled.path("models").get(0), "cost_per_request");
        assertThat(priced.path("verdict").asString()).as(priced.toString()).isEqualTo("changed");
        assertThat(priced.path("relative").asDouble()).isCloseTo(1.0, within(0.15));
        assertThat(priced.path("text").asString()).startsWith("cost per request +")
                .contains("since version " + v2).contains("prices");
        assertThat(change(doubled.path("models").get(0), "tokens_per_request").path("verdict").asString())
                .isEqualTo("within_noise");
        assertThat(doubled.path("flagged").toString()).contains("cost per request +");
        JsonNode byVersion = owner.get("/api/baselines?version=" + v2 + "&against=" + v1).json();
        assertThat(change(byVersion.path("models").get(0), "cost_per_request").path("verdict").asString())
                .isEqualTo("within_noise");
        assertThat(owner.get("/api/baselines?version=" + v1 + "&against=" + v2).errorCode()).isEqualTo("invalid_field");

        // The Java API alert rules use says the same.
        Baselines baselines = new Baselines(gateway.gateway().database(),
                new dev.junction.store.ConfigVersions(gateway.gateway().database()), clock, Baselines.Policy.DEFAULT);
        Baselines.Report report = baselines.compare(0, 0);
        assertThat(report.models().getFirst().change(Metric.COST_PER_REQUEST).orElseThrow().verdict())
                .isEqualTo(Verdict.CHANGED);
        assertThat(report.flagged()).isNotEmpty();

        clock.advance(Duration.ofHours(6));
        JsonNode models = owner.get("/api/baselines/projection?by=model").json();
        assertThat(models.path("version").asLong()).isEqualTo(v3);
        JsonNode projected = models.path("data").get(0);
        assertThat(projected.path("name").asString()).isEqualTo("chat");
        assertThat(projected.path("requests").asLong()).isEqualTo(40);
        assertThat(projected.path("reliable").asBoolean()).isTrue();
        double spent = Double.parseDouble(projected.path("spent_usd").asString());
        assertThat(spent).isGreaterThan(0);
        assertThat(Double.parseDouble(projected.path("monthly_usd").asString())).as("six hours' spend × 4 × 30")
                .isCloseTo(spent * 120, within(spent * 120 * 0.001));
        JsonNode keys = owner.get("/api/baselines/projection?by=key").json();
        assertThat(keys.path("data").get(0).path("name").asString()).isEqualTo("test");
        assertThat(owner.get("/api/baselines/projection?by=user").errorCode()).isEqualTo("invalid_field");
    }
}
