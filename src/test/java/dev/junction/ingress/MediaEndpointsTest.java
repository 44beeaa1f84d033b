package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeGemini;
import dev.junction.testing.FakeMedia;
import dev.junction.testing.Multipart;
import dev.junction.testing.TestGateway;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The media endpoints (images, speech, transcription and translation, moderations, rerank) through
 * a real gateway to strict fakes: pass-through with only the model changed, uploads intact, binary
 * answers as sent, failover on 429 and 5xx before the first byte and none after it, channel types
 * without the endpoint skipped, and every refusal in OpenAI's error shape.
 */
public class MediaEndpointsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    private FakeMedia primary;
    private FakeMedia backup;
    private FakeAnthropic anthropic;
    private FakeGemini gemini;
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {gateway, primary, backup, anthropic, gemini}) {
            if (c != null) {
                c.close();
            }
        }
    }

    public static String mediaChannel(String name, FakeMedia fake, String key, String models, int priority) {
        return """
                  - name: %s
                    type: openai
                    base_url: %s
                    api_key: %s
                    models: %s
                    priority: %d
                """.formatted(name, fake.baseUrl(), key, models, priority);
    }

    private static final String MODELS = "{img: gpt-image-1, dalle: dall-e-2, tts: gpt-4o-mini-tts, stt: "
            + "gpt-4o-transcribe, whisper: whisper-1, mod: omni-moderation-latest, rank: jina-reranker-v2}";

    /** primary (priority 10) and backup (priority 0), both serving every media model. */
    private void start(String extra) throws Exception {
        Path files = Files.createDirectories(dir.resolve("fake-files"));
        primary = FakeMedia.start("sk-primary", files);
        backup = FakeMedia.start("sk-backup", files);
        anthropic = FakeAnthropic.start("sk-fake-claude");
        gemini = FakeGemini.start("sk-fake-gemini");
        gateway = TestGateway.start(dir, extra + "channels:\n"
                + mediaChannel("primary", primary, "sk-primary", MODELS, 10)
                + mediaChannel("backup", backup, "sk-backup", MODELS, 0)
                + TestGateway.channel("claude", anthropic, "{claude: claude-sonnet-4-5, both: claude-sonnet-4-5}",
                        "priority: 20\n")
                + mediaChannel("both-openai", backup, "sk-backup", "{both: gpt-image-1}", 0)
                + TestGateway.channel("gemini", gemini, "{nano: gemini-2.5-flash-image, gemtext: gemini-2.5-flash}",
                        ""));
    }

    private void start() throws Exception {
        start("");
    }

    private HttpResponse<byte[]> upload(String path, Multipart form) throws Exception {
        return upload(path, form.contentType(), form.bytes(), TestGateway.KEY);
    }

    private HttpResponse<byte[]> upload(String path, String contentType, byte[] body, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> postBytes(String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TestGateway.KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<?> response) {
        Object body = response.body();
        return JSON.readTree(body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : (String) body);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static long number(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).longValue();
    }

    @Test
    void imageGenerationGoesThroughWithOnlyTheModelChangedAndItsTokensRecorded() throws Exception {
        start();
        HttpResponse<String> response = gateway.post("/v1/images/generations", "{ \"prompt\" : \"a red fox\",\n"
                + "  \"model\":\"img\", \"n\": 2, \"size\": \"1024x1024\", \"moderation\": \"low\", "
                + "\"x_vendor_extra\": {\"keep\": [1, 2]} }");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("data")).hasSize(2);
        assertThat(response.headers().firstValue("x-junction-channel")).hasValue("primary");
        FakeMedia.Received got = primary.last();
        assertThat(got.path()).isEqualTo("/v1/images/generations");
        assertThat(got.header("content-type")).startsWith("application/json");
        assertThat(got.json().get("model").asString()).isEqualTo("gpt-image-1");
        assertThat(got.json().get("x_vendor_extra").toString()).isEqualTo("{\"keep\":[1,2]}");
        assertThat(got.json().get("moderation").asString()).isEqualTo("low");
        Map<String, Object> row = gateway.usageRows(1).getLast();
        assertThat(row.get("channel")).isEqualTo("primary");
        assertThat(row.get("public_model")).isEqualTo("img");
        assertThat(number(row, "status")).isEqualTo(200);
        assertThat(number(row, "prompt_tokens")).isEqualTo(50);
        assertThat(number(row, "completion_tokens")).isEqualTo(4160);
    }

    @Test
    void imageEditsAndVariationsReachTheProviderAsAnIntactMultipartFormWithTheUpstreamModel() throws Exception {
        start();
        byte[] png = new byte[300_000];
        new java.util.Random(7).nextBytes(png);
        Multipart form = new Multipart().field("model", "img").field("prompt", "add a hat")
                .file("image[]", "fox.png", "image/png", png).file("image[]", "hat.png", "image/png", new byte[] {1, 2})
                .field("size", "1024x1024");
        HttpResponse<byte[]> response = upload("/v1/images/edits", form);
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
        FakeMedia.Received got = primary.last();
        assertThat(got.fields()).containsEntry("model", "gpt-image-1").containsEntry("prompt", "add a hat")
                .containsEntry("size", "1024x1024");
        assertThat(got.files()).extracting(FakeMedia.FilePart::filename).containsExactly("fox.png", "hat.png");
        assertThat(got.files().getFirst().sha256()).isEqualTo(sha256(png));
        assertThat(got.files().getFirst().contentType()).isEqualTo("image/png");
        assertThat(got.header("content-type")).isEqualTo(form.contentType());
        long expected = form.bytes().length - "img".length() + "gpt-image-1".length();
        assertThat(got.header("content-length")).isEqualTo(Long.toString(expected));
        assertThat(number(gateway.usageRows(1).getLast(), "completion_tokens")).isEqualTo(4160);

        HttpResponse<byte[]> variation = upload("/v1/images/variations", new Multipart().field("model", "dalle")
                .file("image", "fox.png", "image/png", png).field("n", "3"));
        assertThat(variation.statusCode()).as(new String(variation.body())).isEqualTo(200);
        assertThat(json(variation).get("data")).hasSize(3);
        assertThat(primary.last().fields()).containsEntry("model", "dall-e-2");
    }

    @Test
    void transcriptionsAndTranslationsUploadAudioAndAnswerJsonOrTextAsTheProviderDid() throws Exception {
        start();
        byte[] audio = FakeMedia.speech(50_000);
        HttpResponse<byte[]> json = upload("/v1/audio/transcriptions", new Multipart().field("model", "stt")
                .file("file", "talk.mp3", "audio/mpeg", audio));
        assertThat(json.statusCode()).as(new String(json.body())).isEqualTo(200);
        assertThat(json(json).get("text").asString()).isEqualTo("hello from the fake");
        assertThat(primary.last().fields()).containsEntry("model", "gpt-4o-transcribe");
        assertThat(primary.last().files().getFirst().sha256()).isEqualTo(sha256(audio));
        Map<String, Object> row = gateway.usageRows(1).getLast();
        assertThat(number(row, "prompt_tokens")).isEqualTo(21);
        assertThat(number(row, "completion_tokens")).isEqualTo(5);

        HttpResponse<byte[]> text = upload("/v1/audio/transcriptions", new Multipart().field("model", "whisper")
                .field("response_format", "text").file("file", "talk.wav", "audio/wav", audio));
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/plain"));
        assertThat(new String(text.body(), StandardCharsets.UTF_8)).isEqualTo("hello from the fake\n");

        HttpResponse<byte[]> translation = upload("/v1/audio/translations", new Multipart().field("model", "whisper")
                .file("file", "talk.m4a", "audio/mp4", audio));
        assertThat(translation.statusCode()).isEqualTo(200);
        assertThat(primary.last().path()).isEqualTo("/v1/audio/translations");
        assertThat(primary.last().fields()).containsEntry("model", "whisper-1");
    }

    @Test
    void speechComesBackAsTheProvidersBinaryBodyByteForByte() throws Exception {
        start();
        primary.speechBytes(1_000_003);
        HttpResponse<byte[]> response = postBytes("/v1/audio/speech", "{\"model\":\"tts\",\"input\":\"Hello there\","
                + "\"voice\":\"alloy\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("audio/mpeg");
        assertThat(response.body()).isEqualTo(FakeMedia.speech(1_000_003));
        assertThat(primary.last().json().get("model").asString()).isEqualTo("gpt-4o-mini-tts");
        Map<String, Object> row = gateway.usageRows(1).getLast();
        assertThat(row.get("end_reason")).isEqualTo("done");
        assertThat(number(row, "first_byte_ms")).isGreaterThanOrEqualTo(0);
    }

    @Test
    void moderationsAndRerankAreRelayedWithTheirUsage() throws Exception {
        start();
        HttpResponse<String> moderation = gateway.post("/v1/moderations", "{\"model\":\"mod\",\"input\":\"hello\"}");
        assertThat(moderation.statusCode()).as(moderation.body()).isEqualTo(200);
        assertThat(json(moderation).at("/results/0/flagged").asBoolean()).isFalse();
        assertThat(primary.last().json().get("model").asString()).isEqualTo("omni-moderation-latest");

        HttpResponse<String> rerank = gateway.post("/v1/rerank", "{\"model\":\"rank\",\"query\":\"fox\","
                + "\"documents\":[\"a fox\",\"a dog\",\"a cat\"],\"top_n\":2}");
        assertThat(rerank.statusCode()).as(rerank.body()).isEqualTo(200);
        assertThat(json(rerank).at("/results/0/index").asInt()).isEqualTo(2);
        assertThat(primary.last().path()).isEqualTo("/v1/rerank");
        assertThat(primary.last().json().get("top_n").asInt()).isEqualTo(2);
        assertThat(number(gateway.usageRows(2).getLast(), "prompt_tokens")).isEqualTo(17);
    }

    /** One request to {@code endpoint} as a client sends it: JSON or a multipart form with its file. */
    private HttpResponse<byte[]> send(String endpoint) throws Exception {
        byte[] png = new byte[20_000];
        new java.util.Random(3).nextBytes(png);
        byte[] audio = FakeMedia.speech(30_000);
        return switch (endpoint) {
            case "images/generations" -> postBytes("/v1/images/generations", "{\"model\":\"dalle\",\"prompt\":\"x\"}");
            case "images/edits" -> upload("/v1/images/edits", new Multipart().field("model", "img")
                    .field("prompt", "add a hat").file("image", "fox.png", "image/png", png));
            case "images/variations" -> upload("/v1/images/variations", new Multipart().field("model", "dalle")
                    .file("image", "fox.png", "image/png", png));
            case "audio/speech" -> postBytes("/v1/audio/speech", "{\"model\":\"tts\",\"input\":\"hi\",\"voice\":\"alloy\"}");
            case "audio/transcriptions" -> upload("/v1/audio/transcriptions", new Multipart().field("model", "stt")
                    .file("file", "a.mp3", "audio/mpeg", audio));
            case "audio/translations" -> upload("/v1/audio/translations", new Multipart().field("model", "whisper")
                    .file("file", "a.mp3", "audio/mpeg", audio));
            case "moderations" -> postBytes("/v1/moderations", "{\"model\":\"mod\",\"input\":\"hello\"}");
            case "rerank" -> postBytes("/v1/rerank", "{\"model\":\"rank\",\"query\":\"fox\",\"documents\":[\"a fox\","
                    + "\"a dog\"]}");
            default -> throw new IllegalArgumentException(endpoint);
        };
    }

    /**
     * Every endpoint fails over between two channels: a 5xx from the first channel, then a 429 with
     * Retry-After, each retried on the second with the same request (the same upload bytes), and
     * each attempt recorded on the usage row.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"images/generations", "images/edits",
            "images/variations", "audio/speech", "audio/transcriptions", "audio/translations", "moderations", "rerank"})
    void everyEndpointFailsOverOnA5xxAndOnA429(String endpoint) throws Exception {
        start();
        int rows = 0;
        for (FakeMedia.Fail fail : List.of(new FakeMedia.Fail(503, Map.of()),
                new FakeMedia.Fail(429, Map.of("Retry-After", "30")))) {
            primary.then(fail);
            int backupBefore = backup.requestCount();
            HttpResponse<byte[]> response = send(endpoint);
            assertThat(response.statusCode()).as(endpoint + " after " + fail.code() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat(response.headers().firstValue("x-junction-channel")).hasValue("backup");
            assertThat(response.headers().firstValue("x-junction-attempts")).hasValue("2");
            assertThat(backup.requestCount()).isEqualTo(backupBefore + 1);
            assertThat(backup.last().path()).isEqualTo("/v1/" + endpoint);
            assertThat(primary.last().path()).isEqualTo("/v1/" + endpoint);
            if (!backup.last().files().isEmpty()) {
                assertThat(backup.last().files().getFirst().sha256())
                        .isEqualTo(primary.last().files().getFirst().sha256());
            }
            Map<String, Object> row = gateway.usageRows(++rows).getLast();
            assertThat(row.get("endpoint")).isEqualTo(endpoint);
            assertThat(row.get("channel")).isEqualTo("backup");
            assertThat((String) row.get("attempts")).contains("\"primary\"").contains(Integer.toString(fail.code()));
        }
    }

    @Test
    void a429FailsOverToTheNextChannel() throws Exception {
        start();
        primary.then(new FakeMedia.Fail(429, Map.of("Retry-After", "1")));
        HttpResponse<String> image = gateway.post("/v1/images/generations", "{\"model\":\"dalle\",\"prompt\":\"x\"}");
        assertThat(image.statusCode()).as(image.body()).isEqualTo(200);
        assertThat(image.headers().firstValue("x-junction-attempts")).hasValue("2");
        assertThat(image.headers().firstValue("x-junction-channel")).hasValue("backup");
        assertThat(backup.last().json().get("model").asString()).isEqualTo("dall-e-2");

        Map<String, Object> first = gateway.usageRows(1).getLast();
        assertThat(first.get("channel")).isEqualTo("backup");
        assertThat((String) first.get("attempts")).contains("\"primary\"").contains("429");
    }

    @Test
    void a5xxBeforeTheFirstByteOfSpeechFailsOverToTheNextChannel() throws Exception {
        start();
        primary.then(new FakeMedia.Fail(502, Map.of()));
        HttpResponse<byte[]> speech = postBytes("/v1/audio/speech", "{\"model\":\"tts\",\"input\":\"hi\","
                + "\"voice\":\"alloy\"}");
        assertThat(speech.statusCode()).isEqualTo(200);
        assertThat(speech.body()).isEqualTo(FakeMedia.speech(200_000));
        assertThat(speech.headers().firstValue("x-junction-channel")).hasValue("backup");
        Map<String, Object> row = gateway.usageRows(1).getLast();
        assertThat(row.get("channel")).isEqualTo("backup");
        assertThat((String) row.get("attempts")).contains("\"primary\"").contains("502");
    }

    @Test
    void anUploadFailsOverWithTheSameBytesToTheSecondChannel() throws Exception {
        start();
        byte[] audio = FakeMedia.speech(777_777);
        primary.then(new FakeMedia.Fail(500, Map.of()));
        HttpResponse<byte[]> response = upload("/v1/audio/transcriptions", new Multipart().field("model", "stt")
                .file("file", "a.mp3", "audio/mpeg", audio));
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
        assertThat(response.headers().firstValue("x-junction-attempts")).hasValue("2");
        assertThat(primary.last().files().getFirst().sha256()).isEqualTo(sha256(audio));
        assertThat(backup.last().files().getFirst().sha256()).isEqualTo(sha256(audio));
        assertThat(backup.last().fields()).containsEntry("model", "gpt-4o-transcribe");
    }

    @Test
    void speechCutAfterItsFirstBytesEndsTheResponseBrokenWithoutTryingAnotherChannel() throws Exception {
        start();
        primary.then(new FakeMedia.CutSpeech(100_000));
        assertThatThrownBy(() -> postBytes("/v1/audio/speech", "{\"model\":\"tts\",\"input\":\"hi\","
                + "\"voice\":\"alloy\"}")).isInstanceOf(IOException.class);
        assertThat(backup.requestCount()).isZero();
        Map<String, Object> row = gateway.usageRows(1).getLast();
        assertThat(row.get("end_reason")).isEqualTo("upstream_cut");
        assertThat(row.get("channel")).isEqualTo("primary");
    }

    @Test
    void channelTypesWithoutTheEndpointAreSkippedWithoutBlameOrRefusedInOpenAisShape() throws Exception {
        start();
        // 'both' is served by an anthropic channel (priority 20) and an openai one: the anthropic one is skipped.
        HttpResponse<String> both = gateway.post("/v1/images/generations", "{\"model\":\"both\",\"prompt\":\"x\"}");
        assertThat(both.statusCode()).as(both.body()).isEqualTo(200);
        assertThat(both.headers().firstValue("x-junction-channel")).hasValue("both-openai");
        assertThat(anthropic.requestCount()).isZero();

        HttpResponse<String> claude = gateway.post("/v1/audio/speech", "{\"model\":\"claude\",\"input\":\"hi\","
                + "\"voice\":\"alloy\"}");
        assertThat(claude.statusCode()).isEqualTo(400);
        assertThat(json(claude).at("/error/type").asString()).isEqualTo("invalid_request_error");
        assertThat(json(claude).at("/error/message").asString()).contains("anthropic channel type has no "
                + "/audio/speech endpoint");
        HttpResponse<byte[]> gemtext = upload("/v1/audio/transcriptions", new Multipart().field("model", "gemtext")
                .file("file", "a.mp3", "audio/mpeg", new byte[10]));
        assertThat(gemtext.statusCode()).isEqualTo(400);
        assertThat(json(gemtext).at("/error/message").asString()).contains("gemini channel type has no");
        assertThat(anthropic.requestCount() + gemini.requestCount()).isZero();

        // Skipping is no failure: the channel is still in rotation for what it serves.
        HttpResponse<String> chat = gateway.post("/v1/messages", "{\"model\":\"claude\",\"max_tokens\":20,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", TestGateway.KEY);
        assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
    }

    @Test
    void geminiImageModelsDrawThroughGenerateContentAnsweredInOpenAisShape() throws Exception {
        start();
        HttpResponse<String> response = gateway.post("/v1/images/generations", "{\"model\":\"nano\",\"prompt\":"
                + "\"a fox\",\"size\":\"1536x1024\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).at("/data/0/b64_json").asString()).isEqualTo("iVBORw0KGgo=");
        assertThat(gemini.last().path()).isEqualTo("/v1beta/models/gemini-2.5-flash-image:generateContent");
        assertThat(gemini.last().body().at("/generationConfig/imageConfig/aspectRatio").asString()).isEqualTo("3:2");
        assertThat(number(gateway.usageRows(1).getLast(), "completion_tokens")).isEqualTo(1290);

        HttpResponse<String> url = gateway.post("/v1/images/generations", "{\"model\":\"nano\",\"prompt\":\"a fox\","
                + "\"response_format\":\"url\"}");
        assertThat(json(url).at("/data/0/url").asString()).isEqualTo("data:image/png;base64,iVBORw0KGgo=");

        HttpResponse<String> many = gateway.post("/v1/images/generations", "{\"model\":\"nano\",\"prompt\":\"x\","
                + "\"n\":2}");
        assertThat(many.statusCode()).isEqualTo(400);
        assertThat(json(many).at("/error/message").asString()).contains("n=1");

        HttpResponse<String> textModel = gateway.post("/v1/images/generations", "{\"model\":\"gemtext\","
                + "\"prompt\":\"x\"}");
        assertThat(textModel.statusCode()).isEqualTo(400);
        assertThat(json(textModel).at("/error/message").asString()).contains("modalities");
    }

    @Test
    void badRequestsAreRefusedInOpenAisShapeBeforeAnyProviderIsAsked() throws Exception {
        start("keys:\n  - name: test\n    key: " + TestGateway.KEY + "\n  - name: narrow\n    key: sk-narrow-key-1\n"
                + "    models: [tts]\n");
        record Case(int status, HttpResponse<?> response, String says) {
        }
        List<Case> cases = List.of(
                new Case(400, gateway.post("/v1/images/generations", "{\"prompt\":\"x\"}"), "'model' is required"),
                new Case(400, gateway.post("/v1/images/generations", "{\"model\":\"img\"}"), "'prompt'"),
                new Case(400, gateway.post("/v1/audio/speech", "not json"), "not valid JSON"),
                new Case(404, gateway.post("/v1/audio/speech", "{\"model\":\"nope\",\"input\":\"x\"}"), "nope"),
                new Case(403, gateway.post("/v1/rerank", "{\"model\":\"rank\",\"query\":\"q\",\"documents\":[\"d\"]}",
                        "sk-narrow-key-1"), "may not use model"),
                new Case(400, upload("/v1/audio/transcriptions", "application/json", "{\"model\":\"stt\"}"
                        .getBytes(StandardCharsets.UTF_8), TestGateway.KEY), "multipart/form-data"),
                new Case(400, upload("/v1/audio/transcriptions", new Multipart().file("file", "a.mp3", "audio/mpeg",
                        new byte[5])), "'model' is required"),
                new Case(400, upload("/v1/audio/transcriptions", new Multipart().field("model", "stt")), "'file'"),
                new Case(400, upload("/v1/images/edits", new Multipart().field("model", "img").field("prompt", "p")),
                        "'image'"),
                new Case(400, upload("/v1/audio/translations", "multipart/form-data; boundary=abc",
                        "--abc\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nstt".getBytes(
                                StandardCharsets.UTF_8), TestGateway.KEY), "malformed"),
                new Case(404, upload("/v1/audio/translations", new Multipart().field("model", "nope")
                        .file("file", "a.mp3", "audio/mpeg", new byte[5])), "nope"),
                new Case(401, upload("/v1/audio/translations", "multipart/form-data; boundary=abc", new byte[10],
                        "sk-wrong"), ""));
        for (Case c : cases) {
            assertThat(c.response().statusCode()).as(c.says()).isEqualTo(c.status());
            JsonNode error = json(c.response()).get("error");
            assertThat(error.get("message").asString()).as(c.status() + "").contains(c.says());
            assertThat(error.has("type")).isTrue();
        }
        assertThat(primary.requestCount() + backup.requestCount()).isZero();
        // The provider's own 400 (voice missing) is the client's, relayed as the provider wrote it.
        HttpResponse<String> relayed = gateway.post("/v1/audio/speech", "{\"model\":\"tts\",\"input\":\"x\"}");
        assertThat(relayed.statusCode()).isEqualTo(400);
        assertThat(json(relayed).at("/error/message").asString()).isEqualTo("'voice' is required");
        assertThat(backup.requestCount()).isZero();
    }

    @Test
    void theFakeIsStrictAboutContentTypes() throws Exception {
        Path files = Files.createDirectories(dir.resolve("fake-files"));
        primary = FakeMedia.start("sk-primary", files);
        HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(URI.create(primary.baseUrl()
                + "/audio/transcriptions")).header("Authorization", "Bearer sk-primary")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(400);
        HttpResponse<String> text = HTTP.send(HttpRequest.newBuilder(URI.create(primary.baseUrl()
                + "/images/generations")).header("Authorization", "Bearer sk-primary")
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\","
                        + "\"prompt\":\"p\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(text.statusCode()).isEqualTo(400);
        Multipart octet = new Multipart().field("model", "m").field("prompt", "p")
                .file("image", "x.bin", "application/octet-stream", new byte[4]);
        HttpResponse<String> image = HTTP.send(HttpRequest.newBuilder(URI.create(primary.baseUrl() + "/images/edits"))
                .header("Authorization", "Bearer sk-primary").header("Content-Type", octet.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(octet.bytes())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(image.statusCode()).isEqualTo(400);
        assertThat(image.body()).contains("unsupported mimetype");
    }
}
