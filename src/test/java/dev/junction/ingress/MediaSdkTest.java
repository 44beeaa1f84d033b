package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateResponse;
import com.openai.models.images.ImageEditParams;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeMedia;
import dev.junction.testing.TestGateway;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official openai-java SDK calling images, speech and transcription through the gateway. */
class MediaSdkTest {

    @TempDir
    static Path dir;

    static FakeMedia primary;
    static FakeMedia backup;
    static FakeAnthropic anthropic;
    static TestGateway gateway;
    static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        Path files = Files.createDirectories(dir.resolve("fake-files"));
        primary = FakeMedia.start("sk-primary", files);
        backup = FakeMedia.start("sk-backup", files);
        anthropic = FakeAnthropic.start("sk-fake-claude");
        String models = "{img: gpt-image-1, tts: tts-1, stt: gpt-4o-transcribe}";
        gateway = TestGateway.start(dir, "channels:\n"
                + MediaEndpointsTest.mediaChannel("primary", primary, "sk-primary", models, 10)
                + MediaEndpointsTest.mediaChannel("backup", backup, "sk-backup", models, 0)
                + TestGateway.channel("claude", anthropic, "{claude: claude-sonnet-4-5}", ""));
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey(TestGateway.KEY)
                .maxRetries(0).build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        gateway.close();
        primary.close();
        backup.close();
        anthropic.close();
    }

    @Test
    void imagesGenerateAndEditWithTheirUsage() throws Exception {
        ImagesResponse generated = client.images().generate(ImageGenerateParams.builder().model("img")
                .prompt("a lighthouse at dusk").n(2).size(ImageGenerateParams.Size._1024X1024).build());
        assertThat(generated.data().orElseThrow()).hasSize(2);
        assertThat(generated.data().orElseThrow().getFirst().b64Json()).hasValue("aW1hZ2U=");
        assertThat(generated.usage().orElseThrow().outputTokens()).isEqualTo(4160);
        assertThat(primary.last().json().get("model").asString()).isEqualTo("gpt-image-1");

        Path png = dir.resolve("photo.png");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        ImagesResponse edited = client.images().edit(ImageEditParams.builder().model("img").prompt("add a hat")
                .image(png).build());
        assertThat(edited.data().orElseThrow()).hasSize(1);
        assertThat(primary.last().path()).isEqualTo("/v1/images/edits");
        assertThat(primary.last().fields()).containsEntry("model", "gpt-image-1").containsEntry("prompt", "add a hat");
        assertThat(primary.last().files().getFirst().size()).isEqualTo(7);
    }

    @Test
    void speechStreamsTheAudioAndFailsOverOnA503() throws Exception {
        primary.then(new FakeMedia.Fail(503, Map.of()));
        try (HttpResponse response = client.audio().speech().create(SpeechCreateParams.builder().model("tts")
                .input("Hello from the gateway").voice("alloy").build());
                InputStream audio = response.body()) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(audio.readAllBytes()).isEqualTo(FakeMedia.speech(200_000));
        }
        assertThat(backup.last().json().get("model").asString()).isEqualTo("tts-1");
        assertThat(backup.last().json().get("voice").asString()).isEqualTo("alloy");
    }

    @Test
    void transcriptionUploadsTheFileAndReadsTheText() throws Exception {
        Path mp3 = dir.resolve("meeting.mp3");
        byte[] bytes = FakeMedia.speech(123_456);
        Files.write(mp3, bytes);
        TranscriptionCreateResponse response = client.audio().transcriptions().create(TranscriptionCreateParams
                .builder().model("stt").file(mp3).build());
        assertThat(response.transcription().orElseThrow().text()).isEqualTo("hello from the fake");
        FakeMedia.Received got = primary.received().stream().filter(r -> r.path().endsWith("/transcriptions"))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(got.fields()).containsEntry("model", "gpt-4o-transcribe");
        assertThat(got.files().getFirst().filename()).isEqualTo("meeting.mp3");
        assertThat(got.files().getFirst().size()).isEqualTo(bytes.length);
    }

    @Test
    void aChannelTypeWithoutTheEndpointIsABadRequestTheSdkReports() {
        assertThatThrownBy(() -> client.images().generate(ImageGenerateParams.builder().model("claude")
                .prompt("x").build())).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("anthropic channel type has no /images/generations endpoint");
    }
}
