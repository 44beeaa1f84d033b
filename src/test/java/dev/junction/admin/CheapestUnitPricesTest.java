package dev.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.FakeMedia;
import dev.junction.testing.Opened;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code cheapest} on media models priced only per unit (issue 15): channels are compared by the
 * price that applies to the request's unit — per image at the size and quality asked for, per 1M
 * characters of speech — not by token rates they do not have (which made them all look free, so the
 * heaviest won). A channel with no price for the unit comes last; the explain view shows the price
 * each channel was compared by. Real gateway, strict media fakes over HTTP.
 */
class CheapestUnitPricesTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final Opened open = new Opened();

    private FakeMedia small;
    private FakeMedia large;
    private FakeMedia unpriced;
    private TestGateway gateway;

    /**
     * Three channels serving {@code pic} and {@code voice}: "small" draws 512px images cheaply and big
     * ones dearly, "large" the other way round, "unpriced" has no price at all; the heaviest weight
     * goes to the one that is dearer for the first request below, then to the unpriced one.
     */
    private void start() throws Exception {
        Path files = Files.createDirectories(dir.resolve("fake-files"));
        small = open.add(FakeMedia.start("sk-small", files));
        large = open.add(FakeMedia.start("sk-large", files));
        unpriced = open.add(FakeMedia.start("sk-unpriced", files));
        gateway = open.add(TestGateway.start(dir, "channels:\n"
                + mediaChannel("small", small, "sk-small", "{pic: img-small, voice: tts-small}", 0)
                + "    weight: 50\n"
                + "    prices:\n"
                + "      img-small: { per_image: { \"512x512\": 0.002, \"1024x1024\": 0.09, \"1024x1024 hd\": 0.2 } }\n"
                + "      tts-small: { per_1m_characters: 30 }\n"
                + mediaChannel("large", large, "sk-large", "{pic: img-large, voice: tts-large}", 0)
                + "    weight: 1\n"
                + "    prices:\n"
                + "      img-large: { per_image: { \"512x512\": 0.05, \"*\": 0.03 } }\n"
                + "      tts-large: { per_1m_characters: 15 }\n"
                + mediaChannel("unpriced", unpriced, "sk-unpriced",
                        "{pic: img-house, voice: tts-house}", 0)
                + "    weight: 100\n"
                + "routing:\n  pic: { strategy: cheapest }\n  voice: { strategy: cheapest }\n"));
    }

    private static String mediaChannel(String name, FakeMedia fake, String key, String models, int priority) {
        return """
                  - name: %s
                    type: openai
                    base_url: %s
                    api_key: %s
                    models: %s
                    priority: %d
                """.formatted(name, fake.baseUrl(), key, models, priority);
    }

    private String channelOf(String path, String body) throws Exception {
        HttpResponse<String> answer = gateway.post(path, body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.headers().firstValue("x-junction-channel").orElseThrow();
    }

    @Test
    void imagesGoToTheCheapestPerImagePriceAtTheSizeAndQualityAsked() throws Exception {
        start();
        String big = "{\"model\":\"pic\",\"prompt\":\"a fox\",\"size\":\"1024x1024\",\"n\":2}";
        String tiny = "{\"model\":\"pic\",\"prompt\":\"a fox\",\"size\":\"512x512\"}";
        for (int i = 0; i < 5; i++) {
            // 1024x1024: large's "*" $0.03 beats small's $0.09, though small weighs 50 times more
            assertThat(channelOf("/v1/images/generations", big)).isEqualTo("large");
            // 512x512: small's $0.002 beats large's $0.05
            assertThat(channelOf("/v1/images/generations", tiny)).isEqualTo("small");
        }
        assertThat(unpriced.requestCount()).as("a channel without a price for images is tried last").isZero();

        // Until it fails: large answers 500, the next cheapest by the image price serves, not the unpriced one.
        large.then(new FakeMedia.Fail(500, Map.of()));
        HttpResponse<String> failedOver = gateway.post("/v1/images/generations", big);
        assertThat(failedOver.statusCode()).isEqualTo(200);
        assertThat(failedOver.headers().firstValue("x-junction-channel")).contains("small");
        assertThat(unpriced.requestCount()).isZero();
    }

    @Test
    void speechGoesToTheCheapestPricePerMillionCharacters() throws Exception {
        start();
        for (int i = 0; i < 5; i++) {
            assertThat(channelOf("/v1/audio/speech", "{\"model\":\"voice\",\"input\":\"Hello there.\",\"voice\":\"alloy\"}"))
                    .isEqualTo("large");
        }
        assertThat(small.requestCount()).isZero();
        assertThat(unpriced.requestCount()).isZero();
    }

    @Test
    void explainShowsThePriceEachChannelIsComparedBy() throws Exception {
        start();
        AdminClient owner = new AdminClient(gateway.baseUrl());
        owner.keepSession(owner.post("/api/setup",
                "{\"name\":\"root\",\"password\":\"" + AdminApiContract.OWNER_PASSWORD + "\"}"));
        JsonNode hd = owner.get("/api/routing/explain?model=pic&endpoint=images/generations&size=1024x1024"
                + "&quality=HD&units=3").json();
        List<String> order = new ArrayList<>();
        hd.path("candidates").forEach(c -> order.add(c.path("channel").asString()));
        // large's "*" $0.03 < small's "1024x1024 hd" $0.20; unpriced last
        assertThat(order).containsExactly("large", "small", "unpriced");
        JsonNode large = hd.path("candidates").get(0).path("price");
        assertThat(large.path("basis").asString()).isEqualTo("per_image");
        assertThat(large.path("unit_price").asDouble()).isEqualTo(0.03);
        assertThat(large.path("estimated_cost").asDouble()).isEqualTo(0.09);
        JsonNode small = hd.path("candidates").get(1).path("price");
        assertThat(small.path("basis").asString()).isEqualTo("per_image 1024x1024 hd");
        assertThat(small.path("estimated_cost").asDouble()).isEqualTo(0.6);
        JsonNode none = hd.path("candidates").get(2).path("price");
        assertThat(none.path("known").asBoolean()).isFalse();
        assertThat(none.has("estimated_cost")).isFalse();

        JsonNode speech = owner.get("/api/routing/explain?model=voice&endpoint=/v1/audio/speech&units=2000000").json();
        JsonNode first = speech.path("candidates").get(0);
        assertThat(first.path("channel").asString()).isEqualTo("large");
        assertThat(first.path("price").path("basis").asString()).isEqualTo("per_1m_characters");
        assertThat(first.path("price").path("estimated_cost").asDouble()).isEqualTo(30.0);

        AdminClient.Response bad = owner.get("/api/routing/explain?model=pic&endpoint=images/nope");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.raw().body()).contains("endpoint");
    }
}
