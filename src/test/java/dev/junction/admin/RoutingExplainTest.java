package dev.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.Chat;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.Opened;
import dev.junction.testing.TestGateway;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/routing/explain}: the candidates now, and why each other channel is left out. */
class RoutingExplainTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final Opened open = new Opened();

    private <T extends AutoCloseable> T opened(T closeable) {
        return open.add(closeable);
    }

    @Test
    void listsTheOrderedCandidatesAndWhyEveryOtherChannelIsExcluded() throws Exception {
        FakeOpenAi plain = opened(FakeOpenAi.start("sk-fake-plain"));
        FakeOpenAi resting = opened(FakeOpenAi.start("sk-fake-resting"));
        FakeOpenAi limited = opened(FakeOpenAi.start("sk-fake-limited"));
        FakeOpenAi unknown = opened(FakeOpenAi.start("sk-fake-unknown"));
        FakeOpenAi cheap = opened(FakeOpenAi.start("sk-fake-cheap"));
        TestGateway gateway = opened(TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("plain", plain, "{chat: plain-model}", "capabilities:\n  plain-model: { tools: false }")
                + TestGateway.channel("resting", resting, "{chat: gpt-4o}", "priority: 30")
                + TestGateway.channel("limited", limited, "{chat: gpt-4.1}", "priority: 20\nlimits: { rpm: 1 }")
                + TestGateway.channel("unknown", unknown, "{chat: some-model}", "")
                + TestGateway.channel("cheap", cheap, "{chat: gpt-4o-mini}", "")
                + "routing:\n  chat: { strategy: cheapest, fallbacks: [other] }\n"));
        resting.then(FakeProvider.status(429, Map.of("Retry-After", "600")));
        // The first request rests "resting" (429) and is served by "limited", which then is at its rpm.
        assertThat(gateway.post("/v1/chat/completions", Chat.body("chat", false)).headers()
                .firstValue("x-junction-channel")).contains("limited");
        AdminClient owner = new AdminClient(gateway.baseUrl());
        AdminClient.Response created = owner.post("/api/setup",
                "{\"name\":\"root\",\"password\":\"" + AdminApiContract.OWNER_PASSWORD + "\"}");
        owner.keepSession(created);
        AdminClient.Response explained = owner.get("/api/routing/explain?model=chat&tools=true");
        assertThat(explained.status()).as(explained.raw().body()).isEqualTo(200);
        JsonNode body = explained.json();
        assertThat(body.path("strategy").asString()).isEqualTo("cheapest");
        assertThat(body.path("fallbacks").get(0).asString()).isEqualTo("other");
        List<String> candidates = new ArrayList<>();
        body.path("candidates").forEach(c -> candidates.add(c.path("channel").asString()));
        assertThat(candidates).containsExactly("cheap", "unknown");
        assertThat(body.path("candidates").get(1).path("assumed_capable").asBoolean()).isTrue();
        assertThat(body.path("candidates").get(1).path("note").asString()).contains("assumed capable");
        Map<String, String> reasons = new java.util.HashMap<>();
        body.path("excluded").forEach(e -> reasons.put(e.path("channel").asString(), e.path("reason").asString()
                + ": " + e.path("detail").asString()));
        assertThat(reasons.get("plain")).startsWith("capability: no tools");
        assertThat(reasons.get("resting")).startsWith("cooling");
        assertThat(reasons.get("limited")).startsWith("limit: rpm reached until");
        // Without tools the tool-less channel is a candidate again.
        AdminClient.Response plainChat = owner.get("/api/routing/explain?model=chat");
        List<String> again = new ArrayList<>();
        plainChat.json().path("candidates").forEach(c -> again.add(c.path("channel").asString()));
        assertThat(again).contains("plain");
        assertThat(owner.get("/api/routing/explain?model=nope").status()).isEqualTo(404);
        assertThat(owner.get("/api/routing/explain").status()).isEqualTo(400);
        assertThat(new AdminClient(gateway.baseUrl()).get("/api/routing/explain?model=chat").status()).isEqualTo(401);
    }
}
