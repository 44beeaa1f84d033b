package dev.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.admin.AdminClient.Response;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.FakeResponses;
import dev.junction.testing.TestGateway;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The channel Test button ({@code POST /api/channels/{id}/test}) sends the same ping the health
 * checks and circuit probes send: a {@code responses: true} channel, whose upstream may serve only
 * {@code POST /responses} (as gpt-5-codex does), is tested there and its answer read; a chat channel
 * is still tested on {@code /chat/completions}.
 */
class ChannelTestButtonTest {

    static final String PASSWORD = "owner-password-1";

    @TempDir
    Path dir;
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    <T extends AutoCloseable> T opened(T closeable) {
        open.add(closeable);
        return closeable;
    }

    AdminClient owner(TestGateway gateway) throws Exception {
        AdminClient owner = new AdminClient(gateway.baseUrl());
        Response created = owner.post("/api/setup", "{\"name\":\"root\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        owner.keepSession(created);
        return owner;
    }

    static long channelId(AdminClient by, String name) throws Exception {
        for (JsonNode channel : by.get("/api/channels").json().path("data")) {
            if (channel.path("name").asString().equals(name)) {
                return channel.path("id").asLong();
            }
        }
        throw new AssertionError("no channel " + name);
    }

    @Test
    void aResponsesChannelIsTestedOnSlashResponsesAndAChatChannelOnChatCompletions() throws Exception {
        FakeResponses codex = opened(FakeResponses.start("sk-codex-key"));
        FakeOpenAi chat = opened(FakeOpenAi.start("sk-fake-chat"));
        TestGateway gateway = opened(TestGateway.start(dir, "channels:\n"
                + TestGateway.channel("chat", chat, "{chat: gpt-4o-up}", "")));
        AdminClient owner = owner(gateway);
        Response made = owner.post("/api/channels", "{\"name\":\"codex\",\"type\":\"openai\",\"base_url\":\""
                + codex.baseUrl() + "\",\"api_key\":\"sk-codex-key\",\"responses\":true,"
                + "\"models\":{\"codex\":\"gpt-5-codex\"}}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);

        Response tested = owner.post("/api/channels/" + made.id() + "/test", null);
        assertThat(tested.status()).as(tested.body()).isEqualTo(200);
        JsonNode result = tested.json();
        assertThat(result.path("ok").asBoolean()).as(tested.body()).isTrue();
        assertThat(result.path("status").asInt()).isEqualTo(200);
        assertThat(result.path("answer").asString()).isEqualTo("Hello from the fake.");
        assertThat(result.path("error").isNull()).isTrue();
        assertThat(result.path("upstream_model").asString()).isEqualTo("gpt-5-codex");
        assertThat(result.path("latency_ms").isIntegralNumber()).isTrue();
        assertThat(codex.received()).singleElement().satisfies(sent -> {
            assertThat(sent.path()).isEqualTo("/v1/responses");
            assertThat(sent.header("authorization")).isEqualTo("Bearer sk-codex-key");
            assertThat(sent.body()).isEqualTo(Json.parse(
                    "{\"model\":\"gpt-5-codex\",\"input\":\"ping\",\"max_output_tokens\":16,\"store\":false}"));
        });

        // For contrast: a chat channel (from the file) is tested on /chat/completions, as before.
        Response chatTested = owner.post("/api/channels/" + channelId(owner, "chat") + "/test", null);
        assertThat(chatTested.json().path("ok").asBoolean()).as(chatTested.body()).isTrue();
        assertThat(chatTested.json().path("answer").asString()).isEqualTo("Hello from the fake.");
        assertThat(chat.received()).singleElement().satisfies(sent -> {
            assertThat(sent.path()).isEqualTo("/v1/chat/completions");
            assertThat(sent.body().path("model").asString()).isEqualTo("gpt-4o-up");
        });
        assertThat(codex.requestCount()).as("the chat channel's test went to its own upstream only").isEqualTo(1);
    }

    @Test
    void aResponsesChannelsRefusalIsShownWithTheProvidersMessage() throws Exception {
        FakeResponses codex = opened(FakeResponses.start("sk-codex-key"));
        codex.then(FakeProvider.status(429));
        TestGateway gateway = opened(TestGateway.start(dir, ""));
        AdminClient owner = owner(gateway);
        Response made = owner.post("/api/channels", "{\"name\":\"codex\",\"type\":\"openai\",\"base_url\":\""
                + codex.baseUrl() + "\",\"api_key\":\"sk-codex-key\",\"responses\":true,\"models\":[\"gpt-5-codex\"]}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);

        JsonNode result = owner.post("/api/channels/" + made.id() + "/test", null).json();
        assertThat(result.path("ok").asBoolean()).isFalse();
        assertThat(result.path("status").asInt()).isEqualTo(429);
        assertThat(result.path("error").asString()).contains("fake 429");
        assertThat(codex.last().path()).isEqualTo("/v1/responses");
    }
}
