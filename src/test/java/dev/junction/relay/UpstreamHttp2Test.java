package dev.junction.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider.TlsMode;
import dev.junction.testing.TestCertificate;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP/2 upstreams: an {@code https} channel negotiates {@code h2} by ALPN with a provider that
 * speaks nothing else, falls back to HTTP/1.1 with one that knows no ALPN, and a plain {@code http}
 * channel stays on HTTP/1.1. Each fake is a real Jetty server with a self-signed certificate made
 * for the test, which only this test's gateway trusts; answers are checked whole, streamed and
 * not, on a pass-through path (Chat Completions to an OpenAI channel, Messages to an Anthropic
 * one) and a translated one (Messages to an OpenAI channel), with their usage rows.
 */
class UpstreamHttp2Test {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CHAT = "/v1/chat/completions";
    private static final String MESSAGES = "/v1/messages";

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private TestCertificate certificate;

    @BeforeEach
    void certificate() throws Exception {
        certificate = TestCertificate.generate(Files.createDirectories(dir.resolve("tls")));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    @Test
    void anHttp2OnlyProviderIsSpokenToInHttp2OnEveryPathStreamedAndNot() throws Exception {
        FakeOpenAi openai = track(FakeOpenAi.start("sk-fake-oa"));
        openai.serveTls(certificate, TlsMode.HTTP2_ONLY);
        FakeAnthropic anthropic = track(FakeAnthropic.start("sk-fake-an"));
        anthropic.serveTls(certificate, TlsMode.HTTP2_ONLY);
        TestGateway gateway = gateway(TestGateway.channel("oa", openai, "[gpt-4o]", "")
                + TestGateway.channel("an", anthropic, "[claude-sonnet-4-5]", ""));
        assertThat(openai.baseUrl()).startsWith("https://");

        for (boolean stream : new boolean[] {false, true}) {
            // pass-through: Chat Completions to an OpenAI channel
            HttpResponse<String> chat = gateway.post(CHAT, chat("gpt-4o", stream));
            assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
            assertThat(text(chat.body(), stream, false)).isEqualTo("Hello from the fake.");
            // translated: Messages to an OpenAI channel
            HttpResponse<String> translated = gateway.post(MESSAGES, messages("gpt-4o", stream));
            assertThat(translated.statusCode()).as(translated.body()).isEqualTo(200);
            assertThat(text(translated.body(), stream, true)).isEqualTo("Hello from the fake.");
            // pass-through: Messages to an Anthropic channel
            HttpResponse<String> native_ = gateway.post(MESSAGES, messages("claude-sonnet-4-5", stream));
            assertThat(native_.statusCode()).as(native_.body()).isEqualTo(200);
            assertThat(text(native_.body(), stream, true)).isEqualTo("Hello from the fake.");
        }

        assertThat(openai.protocols()).hasSize(4).containsOnly("HTTP/2.0");
        assertThat(anthropic.protocols()).hasSize(2).containsOnly("HTTP/2.0");
        List<Map<String, Object>> rows = gateway.usageRows(6);
        assertThat(rows).extracting(r -> ((Number) r.get("status")).intValue()).containsOnly(200);
        assertThat(rows).allSatisfy(r -> assertThat(((Number) r.get("completion_tokens")).longValue()).isPositive());
    }

    @Test
    void anHttpsProviderWithoutAlpnIsSpokenToInHttp1() throws Exception {
        FakeOpenAi openai = track(FakeOpenAi.start("sk-fake-oa"));
        openai.serveTls(certificate, TlsMode.HTTP1_ONLY);
        TestGateway gateway = gateway(TestGateway.channel("oa", openai, "[gpt-4o]", ""));

        for (boolean stream : new boolean[] {false, true}) {
            HttpResponse<String> chat = gateway.post(CHAT, chat("gpt-4o", stream));
            assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
            assertThat(text(chat.body(), stream, false)).isEqualTo("Hello from the fake.");
            HttpResponse<String> translated = gateway.post(MESSAGES, messages("gpt-4o", stream));
            assertThat(translated.statusCode()).as(translated.body()).isEqualTo(200);
            assertThat(text(translated.body(), stream, true)).isEqualTo("Hello from the fake.");
        }

        assertThat(openai.protocols()).hasSize(4).containsOnly("HTTP/1.1");
    }

    @Test
    void aPlainHttpProviderStaysOnHttp1() throws Exception {
        FakeOpenAi openai = track(FakeOpenAi.start("sk-fake-oa"));
        TestGateway gateway = gateway(TestGateway.channel("oa", openai, "[gpt-4o]", ""));

        HttpResponse<String> chat = gateway.post(CHAT, chat("gpt-4o", true));

        assertThat(chat.statusCode()).isEqualTo(200);
        assertThat(openai.protocols()).containsExactly("HTTP/1.1");
    }

    @Test
    void aCertificateTheGatewayDoesNotTrustIsAFailedAttemptNotASilentDowngrade() throws Exception {
        FakeOpenAi openai = track(FakeOpenAi.start("sk-fake-oa"));
        openai.serveTls(TestCertificate.generate(Files.createDirectories(dir.resolve("other"))), TlsMode.HTTP2_ONLY);
        TestGateway gateway = gateway(TestGateway.channel("oa", openai, "[gpt-4o]", ""));

        HttpResponse<String> chat = gateway.post(CHAT, chat("gpt-4o", false));

        assertThat(chat.statusCode()).isGreaterThanOrEqualTo(500);
        assertThat(JSON.readTree(chat.body()).path("error").isObject()).isTrue();
        assertThat(openai.requestCount()).isZero();
    }

    private TestGateway gateway(String channels) throws Exception {
        return track(TestGateway.startTrusting(dir, "channels:\n" + channels, certificate));
    }

    private <T extends AutoCloseable> T track(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private static String chat(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "")
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    }

    private static String messages(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":50,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    }

    /** The answer's text, whole or put together from its stream, in Chat's or Messages' shape. */
    private static String text(String body, boolean stream, boolean messages) {
        if (!stream) {
            JsonNode answer = JSON.readTree(body);
            return messages ? answer.path("content").path(0).path("text").asString()
                    : answer.path("choices").path(0).path("message").path("content").asString();
        }
        StringBuilder text = new StringBuilder();
        for (String line : body.split("\n")) {
            if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                continue;
            }
            JsonNode event = JSON.readTree(line.substring(6));
            text.append(messages ? event.path("delta").path("text").asString("")
                    : event.path("choices").path(0).path("delta").path("content").asString(""));
        }
        return text.toString();
    }

}
