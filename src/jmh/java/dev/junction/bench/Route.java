package dev.junction.bench;

import dev.junction.core.ChannelApi;
import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.http.SseEvent;
import dev.junction.protocol.ChannelCodec;
import dev.junction.protocol.ClientStream;
import dev.junction.protocol.PassThrough;
import dev.junction.protocol.ProviderExchange;
import dev.junction.protocol.StreamDecoder;
import dev.junction.protocol.TranslatableRequest;
import dev.junction.protocol.anthropic.AnthropicClientRequest;
import dev.junction.protocol.anthropic.AnthropicCodec;
import dev.junction.protocol.gemini.GeminiClientRequest;
import dev.junction.protocol.gemini.GeminiCodec;
import dev.junction.protocol.openai.ChatClientRequest;
import dev.junction.protocol.openai.ChatRequest;
import dev.junction.protocol.openai.OpenAiCodec;
import dev.junction.protocol.responses.ResponseLog;
import dev.junction.protocol.responses.ResponsesClientRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * A client API served by a channel of another type, wired as {@code TranslatedAttempt} wires it:
 * the client's request (parsed from a sample body), the channel codec's prepared exchange, and the
 * provider's sample stream and whole answer. Named {@code <client API>-via-<channel type>}.
 */
record Route(Supplier<TranslatableRequest> client, ChannelCodec codec, List<SseEvent> stream, byte[] answer) {

    static final String SEED = "k3j5h2g7f1";
    static final long CREATED = 1_700_000_000L;

    static Route of(String name, boolean stream) {
        return switch (name) {
            case "chat-via-anthropic" -> new Route(() -> ChatClientRequest.of(ChatRequest.parse(
                    Samples.chatBody("claude-sonnet", stream))), AnthropicCodec.INSTANCE, Samples.messagesEvents(),
                    Samples.message());
            case "messages-via-openai" -> new Route(() -> AnthropicClientRequest.parse(
                    Samples.messagesBody("gpt-4o-mini", stream), "2023-06-01", null), OpenAiCodec.INSTANCE,
                    Samples.chatEvents(), Samples.completion().getBytes(StandardCharsets.UTF_8));
            case "chat-via-gemini" -> new Route(() -> ChatClientRequest.of(ChatRequest.parse(
                    Samples.chatBody("gemini-flash", stream))), GeminiCodec.INSTANCE, Samples.geminiEvents(),
                    Samples.generateContent());
            case "gemini-via-openai" -> new Route(() -> GeminiClientRequest.parse("gpt-4o-mini", stream,
                    Samples.geminiBody()), OpenAiCodec.INSTANCE, Samples.chatEvents(),
                    Samples.completion().getBytes(StandardCharsets.UTF_8));
            case "responses-via-openai" -> new Route(() -> ResponsesClientRequest.parse(
                    Samples.responsesBody("gpt-4o-mini", stream), ResponseLog.NONE, "resp_" + SEED),
                    OpenAiCodec.INSTANCE, Samples.chatEvents(),
                    Samples.completion().getBytes(StandardCharsets.UTF_8));
            case "responses-via-anthropic" -> new Route(() -> ResponsesClientRequest.parse(
                    Samples.responsesBody("claude-sonnet", stream), ResponseLog.NONE, "resp_" + SEED),
                    AnthropicCodec.INSTANCE, Samples.messagesEvents(), Samples.message());
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** The upstream request's body: the client's request parsed, made canonical and encoded for the channel. */
    byte[] request() {
        return exchange(client.get()).call().body();
    }

    ProviderExchange exchange(TranslatableRequest request) {
        return codec.prepare(request.canonical(ChannelQuirks.NONE), "upstream-model", "sk-upstream", SEED,
                ChannelQuirks.NONE);
    }

    /** The whole answer decoded from the provider's shape and written in the client's. */
    static byte[] answer(TranslatableRequest request, ProviderExchange exchange, byte[] answer) {
        CanonicalResponse response = exchange.decode(answer);
        return request.encode(response, CREATED);
    }

    /** One stream's translator: the channel's decoder feeding the client's encoder. */
    static Translator translator(TranslatableRequest request, ProviderExchange exchange) {
        return new Translator(exchange.streamDecoder(), request.streamEncoder(SEED, "upstream-model", CREATED));
    }

    /** An Anthropic or Responses client's pass-through to a channel of its own API. */
    static PassThrough passThrough(String api) {
        return switch (api) {
            case "messages" -> AnthropicClientRequest.parse(Samples.messagesBody("claude-sonnet", true), null, null)
                    .passThrough(ChannelApi.of(ChannelType.ANTHROPIC)).orElseThrow();
            case "responses" -> ResponsesClientRequest.parse(Samples.responsesBody("gpt-5-codex", true),
                    ResponseLog.NONE, "resp_" + SEED).passThrough(new ChannelApi(ChannelType.OPENAI, true))
                    .orElseThrow();
            default -> throw new IllegalArgumentException(api);
        };
    }

    /** Upstream events in, client bytes out, as the relay's translated stream loop does it. */
    record Translator(StreamDecoder decoder, ClientStream encoder) {

        /** Bytes written for one upstream event. */
        int translate(SseEvent event) {
            int written = 0;
            for (StreamEvent canonical : decoder.decode(event)) {
                if (canonical instanceof StreamEvent.Ping || canonical instanceof StreamEvent.Error) {
                    continue; // the relay writes its own keep-alive, and ends the stream on an error
                }
                byte[] bytes = encoder.encode(canonical);
                written += bytes == null ? 0 : bytes.length;
            }
            return written;
        }

        int translate(List<SseEvent> events) {
            int written = 0;
            for (SseEvent event : events) {
                written += translate(event);
            }
            return written + encoder.end().length;
        }
    }
}
