package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import dev.junction.testing.FakeMedia;
import dev.junction.testing.Multipart;
import dev.junction.testing.TestGateway;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the media endpoints are billed by, through a real gateway to the strict media fake: every
 * usage row names its endpoint and units (images of a size and quality, characters of speech,
 * seconds of audio from the answer or estimated from the upload, rerank searches, a moderation's
 * tokens), and its cost is the catalog's (or the channel's {@code prices:}) price of those units in
 * micro-dollars; a key's budget is charged for images like for tokens.
 */
class MediaUsageTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String MODELS = "{dalle3: dall-e-3, dalle2: dall-e-2, img: gpt-image-1, tts: tts-1, "
            + "whisper: whisper-1, stt: gpt-4o-transcribe, mod: omni-moderation-latest, cohere: rerank-v3.5, "
            + "jina: jina-reranker-v2-base-multilingual, nano: gemini-2.5-flash-image}";

    @TempDir
    Path dir;

    private FakeMedia media;
    private FakeMedia cheap;
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {gateway, media, cheap}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private void start(String keys) throws Exception {
        Path files = Files.createDirectories(dir.resolve("fake-files"));
        media = FakeMedia.start("sk-media", files);
        cheap = FakeMedia.start("sk-cheap", files);
        gateway = TestGateway.start(dir, keys + "channels:\n"
                + MediaEndpointsTest.mediaChannel("media", media, "sk-media", MODELS, 10)
                // a channel whose operator pays its own image prices: prices: per_image, by size too
                + MediaEndpointsTest.mediaChannel("cheap", cheap, "sk-cheap", "{house: dall-e-2}", 0)
                + "    prices:\n      dall-e-2: { per_image: { \"512x512\": 0.005, \"*\": 0.5 } }\n");
    }

    private OpenAIClient sdk() {
        return OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey(TestGateway.KEY).maxRetries(0)
                .build();
    }

    private Map<String, Object> last(int expected) throws Exception {
        List<Map<String, Object>> rows = gateway.usageRows(expected);
        assertThat(rows).hasSizeGreaterThanOrEqualTo(expected);
        return rows.get(expected - 1);
    }

    private static long number(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).longValue();
    }

    private static boolean estimated(Map<String, Object> row) {
        Object value = row.get("units_estimated");
        return value instanceof Boolean b ? b : ((Number) value).intValue() != 0;
    }

    private static void billed(Map<String, Object> row, String endpoint, long units, String unit, long costMicros) {
        assertThat(row.get("endpoint")).as("endpoint").isEqualTo(endpoint);
        assertThat(number(row, "units")).as("units of " + endpoint).isEqualTo(units);
        assertThat(row.get("unit")).as("unit of " + endpoint).isEqualTo(unit);
        assertThat(row.get("cost_micros")).as("cost of " + endpoint).isNotNull();
        assertThat(number(row, "cost_micros")).as("cost of " + endpoint).isEqualTo(costMicros);
    }

    private int upload(String path, Multipart form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TestGateway.KEY).header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** A PCM WAV of {@code seconds} seconds: 16 kHz, mono, 16-bit (32,000 bytes a second). */
    static byte[] wav(int seconds) {
        int data = seconds * 32_000;
        ByteBuffer b = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + data).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(16_000).putInt(32_000)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(data);
        return b.array();
    }

    @Test
    void imagesAreBilledByCountSizeAndQualityOrByTheTokensTheProviderReports() throws Exception {
        start("");
        OpenAIClient client = sdk();
        try {
            ImagesResponse hd = client.images().generate(ImageGenerateParams.builder().model("dalle3").prompt("a fox")
                    .n(2).size(ImageGenerateParams.Size._1024X1792).quality(ImageGenerateParams.Quality.HD).build());
            assertThat(hd.data().orElseThrow()).hasSize(2);
        } finally {
            client.close();
        }
        Map<String, Object> row = last(1);
        billed(row, "images/generations", 2, "image", 2 * 120_000); // dall-e-3 hd 1024x1792: $0.12 each
        assertThat(row.get("unit_detail")).isEqualTo("1024x1792 hd");
        assertThat(estimated(row)).isFalse();

        assertThat(gateway.post("/v1/images/generations", "{\"model\":\"dalle3\",\"prompt\":\"a fox\"}").statusCode())
                .isEqualTo(200);
        billed(last(2), "images/generations", 1, "image", 40_000); // standard 1024x1024 by default: $0.04

        // gpt-image-1 answers with its tokens (50 in, 4160 image tokens out): those are billed, $5 and $40 per 1M
        assertThat(gateway.post("/v1/images/generations", "{\"model\":\"img\",\"prompt\":\"a fox\",\"quality\":\"high\"}")
                .statusCode()).isEqualTo(200);
        billed(last(3), "images/generations", 1, "image", 250 + 166_400);

        // variations (an upload): three dall-e-2 images at $0.02
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        assertThat(upload("/v1/images/variations", new Multipart().field("model", "dalle2").field("n", "3")
                .file("image", "fox.png", "image/png", png))).isEqualTo(200);
        billed(last(4), "images/variations", 3, "image", 3 * 20_000);

        // a channel's prices: win over the catalog, by size when given
        assertThat(gateway.post("/v1/images/generations", "{\"model\":\"house\",\"prompt\":\"a fox\",\"size\":\"512x512\"}")
                .statusCode()).isEqualTo(200);
        billed(last(5), "images/generations", 1, "image", 5_000);
        assertThat(gateway.post("/v1/images/generations", "{\"model\":\"house\",\"prompt\":\"a fox\",\"n\":2}")
                .statusCode()).isEqualTo(200);
        billed(last(6), "images/generations", 2, "image", 1_000_000);
    }

    @Test
    void speechIsBilledByItsCharactersAndSpeechToTextBySecondsFromTheAnswerOrEstimatedFromTheUpload()
            throws Exception {
        start("");
        OpenAIClient client = sdk();
        try (HttpResponse speech = client.audio().speech().create(SpeechCreateParams.builder().model("tts")
                        .input("Grüße, world").voice("alloy").build());
                InputStream audio = speech.body()) {
            assertThat(audio.readAllBytes()).hasSize(200_000);
        } finally {
            client.close();
        }
        billed(last(1), "audio/speech", 12, "character", 12 * 15); // tts-1: $15 per 1M characters

        // whisper-1 reports the seconds it bills (usage.seconds: 9): $0.006 a minute is 100 micro-dollars a second
        byte[] mp3 = FakeMedia.speech(50_000);
        assertThat(upload("/v1/audio/transcriptions", new Multipart().field("model", "whisper")
                .file("file", "talk.mp3", "audio/mpeg", mp3))).isEqualTo(200);
        Map<String, Object> reported = last(2);
        billed(reported, "audio/transcriptions", 9, "second", 900);
        assertThat(estimated(reported)).isFalse();

        // verbose_json's duration: 12.6 s bills 13
        assertThat(upload("/v1/audio/transcriptions", new Multipart().field("model", "whisper")
                .field("response_format", "verbose_json").file("file", "talk.mp3", "audio/mpeg", mp3))).isEqualTo(200);
        billed(last(3), "audio/transcriptions", 13, "second", 1300);

        // a translation answer says nothing of its length: a WAV's header gives it exactly, marked estimated
        assertThat(upload("/v1/audio/translations", new Multipart().field("model", "whisper")
                .file("file", "talk.wav", "audio/wav", wav(7)))).isEqualTo(200);
        Map<String, Object> wav = last(4);
        billed(wav, "audio/translations", 7, "second", 700);
        assertThat(estimated(wav)).isTrue();

        // a text transcript relayed as it arrives: 50,000 bytes of MP3 at 128 kbit/s is about 4 s
        assertThat(upload("/v1/audio/transcriptions", new Multipart().field("model", "whisper")
                .field("response_format", "text").file("file", "talk.mp3", "audio/mpeg", mp3))).isEqualTo(200);
        Map<String, Object> text = last(5);
        billed(text, "audio/transcriptions", 4, "second", 400);
        assertThat(estimated(text)).isTrue();

        // gpt-4o-transcribe reports tokens (21 in, 5 out at $6 and $10 per 1M): billed by them, seconds still counted
        assertThat(upload("/v1/audio/transcriptions", new Multipart().field("model", "stt")
                .file("file", "talk.wav", "audio/wav", wav(3)))).isEqualTo(200);
        Map<String, Object> tokens = last(6);
        billed(tokens, "audio/transcriptions", 3, "second", 21 * 6 + 5 * 10);
        assertThat(number(tokens, "prompt_tokens")).isEqualTo(21);
    }

    @Test
    void rerankIsBilledBySearchUnitsOrTokensModerationsByTokensAndNothingServedBillsNothing() throws Exception {
        start("");
        assertThat(gateway.post("/v1/rerank", "{\"model\":\"cohere\",\"query\":\"fox\",\"documents\":[\"a\",\"b\"]}")
                .statusCode()).isEqualTo(200);
        billed(last(1), "rerank", 1, "search", 2_000); // $2 per 1K searches

        assertThat(gateway.post("/v1/rerank", "{\"model\":\"jina\",\"query\":\"fox\",\"documents\":[\"a\",\"b\"]}")
                .statusCode()).isEqualTo(200);
        billed(last(2), "rerank", 17, "token", 0); // 17 tokens at $0.02 per 1M round to 0

        assertThat(gateway.post("/v1/moderations", "{\"model\":\"mod\",\"input\":\"hello there, fox\"}").statusCode())
                .isEqualTo(200);
        Map<String, Object> moderation = last(3);
        billed(moderation, "moderations", 4, "token", 0); // 16 bytes ≈ 4 tokens, estimated; moderation is free
        assertThat(estimated(moderation)).isTrue();

        // refused before any channel: the row still names its endpoint and unit, with nothing billed
        assertThat(gateway.post("/v1/images/generations", "{\"model\":\"dalle3\"}").statusCode()).isEqualTo(400);
        billed(last(4), "images/generations", 0, "image", 0);
        // failed on every channel: nothing was made, nothing billed
        media.then(new FakeMedia.Fail(500, Map.of()), new FakeMedia.Fail(500, Map.of()));
        assertThat(gateway.post("/v1/audio/speech", "{\"model\":\"tts\",\"input\":\"hello\",\"voice\":\"alloy\"}")
                .statusCode()).isGreaterThanOrEqualTo(500);
        billed(last(5), "audio/speech", 0, "character", 0);
    }

    @Test
    void aKeysBudgetIsChargedForImages() throws Exception {
        // $0.20 a day; dall-e-3 reserves its dearest image ($0.12) and is charged $0.04 (1024x1024 standard)
        start("""
                keys:
                  - name: artist
                    key: %s
                    budget: { usd: 0.20, period: day }
                """.formatted(TestGateway.KEY));
        for (int i = 1; i <= 3; i++) {
            var ok = gateway.post("/v1/images/generations", "{\"model\":\"dalle3\",\"prompt\":\"fox " + i + "\"}");
            assertThat(ok.statusCode()).as("image %d: %s", i, ok.body()).isEqualTo(200);
            gateway.usageRows(i);
        }
        // $0.12 spent: the next reservation of $0.12 would pass $0.20
        var refused = gateway.post("/v1/images/generations", "{\"model\":\"dalle3\",\"prompt\":\"fox 4\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(refused.body()).contains("budget of $0.20 per day");
        assertThat(media.received().stream().filter(r -> r.path().endsWith("/generations")).count()).isEqualTo(3);
        long spent = gateway.usageRows(4).stream().filter(r -> r.get("cost_micros") != null)
                .mapToLong(r -> number(r, "cost_micros")).sum();
        assertThat(spent).isEqualTo(3 * 40_000);
    }
}
