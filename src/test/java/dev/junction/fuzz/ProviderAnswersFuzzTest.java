package dev.junction.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.junction.core.ChannelApi;
import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.http.SseEvent;
import dev.junction.http.SseReader;
import dev.junction.protocol.ChannelCodec;
import dev.junction.protocol.EndpointRequest;
import dev.junction.protocol.EndpointRoute;
import dev.junction.protocol.MalformedAnswerException;
import dev.junction.protocol.PassThrough;
import dev.junction.protocol.Route;
import dev.junction.protocol.StreamDecoder;
import dev.junction.protocol.TranslatableRequest;
import dev.junction.protocol.anthropic.AnthropicClientRequest;
import dev.junction.protocol.anthropic.AnthropicCodec;
import dev.junction.protocol.anthropic.MessagesEventAgreement;
import dev.junction.protocol.gemini.GeminiClientRequest;
import dev.junction.protocol.gemini.GeminiCodec;
import dev.junction.protocol.openai.ChatClientRequest;
import dev.junction.protocol.openai.ChatRequest;
import dev.junction.protocol.openai.ChunkScanAgreement;
import dev.junction.protocol.openai.EmbeddingsClientRequest;
import dev.junction.protocol.openai.OpenAiCodec;
import dev.junction.protocol.responses.ResponseLog;
import dev.junction.protocol.responses.ResponsesEventAgreement;
import dev.junction.protocol.responses.ResponsesClientRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A provider's 2xx answer, whole or streamed, read by every channel type's decoder (translated
 * path) and every pass-through scanner: the decoders return canonical answers or throw
 * {@link MalformedAnswerException}; the pass-through readers never throw (an unreadable answer is
 * their {@code problem} or {@code MALFORMED} verdict).
 */
class ProviderAnswersFuzzTest {

    private static final int MAX_EVENT_BYTES = 1 << 20;
    private static final List<ChannelCodec> CODECS =
            List.of(OpenAiCodec.INSTANCE, AnthropicCodec.INSTANCE, GeminiCodec.INSTANCE);

    @FuzzTest
    void anyAnswerIsReadOrRefusedAsMalformed(byte[] answer) throws Exception {
        check(answer);
    }

    static void check(byte[] answer) throws Exception {
        List<SseEvent> events = events(answer);
        ChunkScanAgreement.check(answer);
        for (SseEvent event : events) {
            ChunkScanAgreement.check(event.data());
            MessagesEventAgreement.check(event);
            ResponsesEventAgreement.check(event.data());
        }
        for (boolean stream : new boolean[] {false, true}) {
            CanonicalRequest request = canonical(stream);
            for (ChannelCodec codec : CODECS) {
                var exchange = codec.prepare(request, "upstream-model", null, "seed000001");
                Outcomes.providerAnswer(() -> Objects.requireNonNull(exchange.decode(answer)));
                StreamDecoder decoder = exchange.streamDecoder();
                Outcomes.providerAnswer(() -> {
                    for (SseEvent event : events) {
                        Objects.requireNonNull(decoder.decode(event));
                    }
                });
                decoder.complete();
            }
        }
        for (Route pass : WHOLE_ONLY) {
            Objects.requireNonNull(pass.inspect(answer));
        }
        for (PassThrough pass : passThroughs()) {
            Objects.requireNonNull(pass.inspect(answer));
            PassThrough.StreamScanner scanner = pass.scanner();
            for (SseEvent event : events) {
                Objects.requireNonNull(scanner.scan(event));
            }
            scanner.complete();
            scanner.terminator();
            scanner.usage();
        }
    }

    private static List<SseEvent> events(byte[] answer) throws IOException {
        SseReader reader = SseReader.of(new ByteArrayInputStream(answer), MAX_EVENT_BYTES);
        List<SseEvent> events = new java.util.ArrayList<>();
        SseEvent event;
        while ((event = reader.next()) != null) {
            events.add(event);
        }
        return events;
    }

    private static CanonicalRequest canonical(boolean stream) {
        return chat(stream).canonical(ChannelQuirks.NONE);
    }

    private static ChatClientRequest chat(boolean stream) {
        return ChatClientRequest.of(ChatRequest.parse(bytes("{\"model\":\"m\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}]}")));
    }

    /** One pass-through per client API and channel that speaks it, streamed and not. */
    private static List<PassThrough> passThroughs() {
        List<PassThrough> all = new java.util.ArrayList<>();
        for (boolean stream : new boolean[] {false, true}) {
            add(all, chat(stream), ChannelApi.of(ChannelType.OPENAI));
            add(all, AnthropicClientRequest.parse(bytes("{\"model\":\"m\",\"max_tokens\":10,\"stream\":" + stream
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "2023-06-01", null),
                    ChannelApi.of(ChannelType.ANTHROPIC));
            add(all, GeminiClientRequest.parse("m", stream, bytes("{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}")),
                    ChannelApi.of(ChannelType.GEMINI));
            add(all, ResponsesClientRequest.parse(bytes("{\"model\":\"m\",\"stream\":" + stream
                    + ",\"input\":\"hi\"}"), ResponseLog.NONE, "resp_fuzz"), new ChannelApi(ChannelType.OPENAI, true));
        }
        return all;
    }

    /** Embeddings: answered whole, never streamed. */
    private static final List<Route> WHOLE_ONLY = embeddings();

    private static List<Route> embeddings() {
        List<Route> all = new java.util.ArrayList<>();
        EndpointRequest embeddings = EmbeddingsClientRequest.parse(bytes("{\"model\":\"m\",\"input\":[\"a\",\"b\"]}"),
                dev.junction.relay.Codecs::of);
        all.add(((EndpointRoute.Served) embeddings.route(ChannelApi.of(ChannelType.OPENAI))).route());
        all.add(((EndpointRoute.Served) embeddings.route(ChannelApi.of(ChannelType.GEMINI))).route());
        return all;
    }

    private static void add(List<PassThrough> all, TranslatableRequest request, ChannelApi api) {
        all.add(request.passThrough(api).orElseThrow());
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
