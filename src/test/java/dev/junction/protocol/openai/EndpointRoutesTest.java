package dev.junction.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.ChannelApi;
import dev.junction.core.ChannelType;
import dev.junction.protocol.ClientRequest;
import dev.junction.protocol.EndpointRequest;
import dev.junction.protocol.EndpointRoute;
import dev.junction.protocol.TranslatableRequest;
import dev.junction.relay.Codecs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Embeddings and media requests are endpoint requests: each channel type gets a route of its own, a
 * missing endpoint or a refusal as a value, never a chat form they would have to refuse by throwing.
 */
class EndpointRoutesTest {

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theTwoKindsOfRequestAreSealed() {
        assertThat(ClientRequest.class.isSealed()).isTrue();
        assertThat(List.of(ClientRequest.class.getPermittedSubclasses()))
                .containsExactlyInAnyOrder(TranslatableRequest.class, EndpointRequest.class);
        assertThat(EndpointRequest.class).isAssignableFrom(EmbeddingsClientRequest.class)
                .isAssignableFrom(MediaClientRequest.class);
        assertThat(TranslatableRequest.class.isAssignableFrom(EmbeddingsClientRequest.class)).isFalse();
        assertThat(TranslatableRequest.class.isAssignableFrom(MediaClientRequest.class)).isFalse();
    }

    @Test
    void embeddingsRouteByChannelType() {
        EmbeddingsClientRequest request = EmbeddingsClientRequest.parse(bytes("{\"model\":\"e\",\"input\":\"hi\"}"),
                Codecs::of);
        assertThat(request.route(ChannelApi.of(ChannelType.OPENAI))).isInstanceOf(EndpointRoute.Served.class);
        assertThat(request.route(ChannelApi.of(ChannelType.GEMINI))).isInstanceOf(EndpointRoute.Served.class);
        assertThat(request.route(ChannelApi.of(ChannelType.ANTHROPIC))).isEqualTo(new EndpointRoute.Refused(
                "Embeddings for 'e' need an openai or gemini channel; this channel's API has no embeddings."));
    }

    @Test
    void embeddingsWithoutACanonicalFormAreRefusedByOtherChannelsButPassToOpenAi() {
        EmbeddingsClientRequest base64 = EmbeddingsClientRequest.parse(bytes("{\"model\":\"e\",\"input\":\"hi\","
                + "\"encoding_format\":\"base64\"}"), Codecs::of);
        assertThat(base64.route(ChannelApi.of(ChannelType.OPENAI))).isInstanceOf(EndpointRoute.Served.class);
        assertThat(base64.route(ChannelApi.of(ChannelType.GEMINI))).isEqualTo(new EndpointRoute.Refused(
                "encoding_format 'base64' is not supported for this model's provider; omit it or send 'float'."));
    }

    @Test
    void mediaEndpointsAreMissingWhereTheChannelTypeHasNone() {
        MediaClientRequest speech = MediaClientRequest.json(MediaEndpoint.AUDIO_SPEECH,
                bytes("{\"model\":\"tts\",\"input\":\"hello\",\"voice\":\"alloy\"}"), Codecs::of);
        assertThat(speech.route(ChannelApi.of(ChannelType.OPENAI))).isInstanceOf(EndpointRoute.Served.class);
        assertThat(speech.route(ChannelApi.of(ChannelType.ANTHROPIC))).isInstanceOfSatisfying(
                EndpointRoute.Missing.class, missing -> assertThat(missing.message())
                        .isEqualTo("The anthropic channel type has no /audio/speech endpoint; serve 'tts' from an "
                                + "openai channel."));
        MediaClientRequest images = MediaClientRequest.json(MediaEndpoint.IMAGES_GENERATIONS,
                bytes("{\"model\":\"img\",\"prompt\":\"a cat\"}"), Codecs::of);
        assertThat(images.route(ChannelApi.of(ChannelType.GEMINI))).isInstanceOf(EndpointRoute.Served.class);
        assertThat(images.route(ChannelApi.of(ChannelType.ANTHROPIC))).isInstanceOf(EndpointRoute.Missing.class);
    }
}
