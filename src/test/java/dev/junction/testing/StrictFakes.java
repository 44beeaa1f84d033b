package dev.junction.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.ChannelType;
import dev.junction.protocol.ProviderCall;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * One strict fake of each channel type, for checking that a request the gateway would send (a
 * golden provider request) is one the real provider accepts: the call goes over HTTP to the fake,
 * with its path, headers and body, and must be answered 200. The fakes take {@link #KEY} and any
 * thought signature (a golden replays signatures a real provider issued, which a fake cannot know),
 * but are as strict as ever about the request's shape.
 */
public final class StrictFakes implements AutoCloseable {

    /** The credential the golden requests carry. */
    public static final String KEY = "test-key";
    /** Headers {@link HttpClient} sets itself. */
    private static final Set<String> RESTRICTED = Set.of("content-length", "host", "connection", "expect", "upgrade");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final FakeOpenAi openAi;
    private final FakeAnthropic anthropic;
    private final FakeGemini gemini;

    private StrictFakes() throws Exception {
        openAi = FakeOpenAi.start(KEY);
        anthropic = FakeAnthropic.start(KEY).acceptingAnySignature();
        gemini = FakeGemini.start(KEY).acceptingAnySignature();
    }

    /** Starts the fakes; for a test class's {@code @AutoClose static} field, so it throws nothing checked. */
    public static StrictFakes start() {
        try {
            return new StrictFakes();
        } catch (Exception e) {
            throw new IllegalStateException("the strict fakes did not start", e);
        }
    }

    /** Sends {@code call} to the fake of {@code type}; fails with the fake's refusal unless it is answered 200. */
    public void assertAccepted(ChannelType type, ProviderCall call) throws Exception {
        FakeProvider fake = switch (type) {
            case OPENAI -> openAi;
            case ANTHROPIC -> anthropic;
            case GEMINI -> gemini;
        };
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fake.baseUrl() + call.path()))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(call.body()));
        call.headers().forEach((name, value) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                request.header(name, value);
            }
        });
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s refused %s: %s", type.configName(), call.path(), response.body())
                .isEqualTo(200);
    }

    @Override
    public void close() throws Exception {
        openAi.close();
        anthropic.close();
        gemini.close();
    }
}
