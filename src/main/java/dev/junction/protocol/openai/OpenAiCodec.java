package dev.junction.protocol.openai;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.protocol.ChannelCodec;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.ProviderCall;
import dev.junction.protocol.ProviderExchange;
import dev.junction.protocol.StreamDecoder;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * Channels of type {@code openai} reached by translation, for clients that speak another format
 * (Anthropic Messages, OpenAI Responses, Gemini): {@code POST {base_url}/chat/completions} (the
 * base URL holds the version segment, as OpenAI's SDKs take it) with {@code Authorization: Bearer}.
 * The body is written for the broad family of OpenAI-compatible providers, and their answers are
 * read with their known deviations (see {@link ChatStreamDecoder}).
 */
public final class OpenAiCodec implements ChannelCodec {

    public static final OpenAiCodec INSTANCE = new OpenAiCodec();

    private OpenAiCodec() {
    }

    @Override
    public ProviderExchange prepare(CanonicalRequest request, String model, String apiKey, String idSeed) {
        return prepare(request, model, apiKey, idSeed, ChannelQuirks.NONE);
    }

    /**
     * Prepares one call with the channel's quirks applied to the encoded body ({@code drop_params},
     * {@code defaults}, {@code stream_options: false}), as the pass-through path applies them to a
     * client's body.
     */
    @Override
    public ProviderExchange prepare(CanonicalRequest request, String model, String apiKey, String idSeed,
            ChannelQuirks quirks) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(idSeed, "idSeed");
        Objects.requireNonNull(quirks, "quirks");
        ObjectNode body = ChatRequestEncoder.encode(request, model);
        Quirks.apply(body, quirks);
        Map<String, String> headers = new HashMap<>();
        if (apiKey != null) {
            headers.put("Authorization", "Bearer " + apiKey);
        }
        headers.put("Accept", request.stream() ? "text/event-stream" : "application/json");
        return new Exchange(new ProviderCall("/chat/completions", headers, JsonTrees.bytes(body)), idSeed, model);
    }

    private record Exchange(ProviderCall call, String idSeed, String model) implements ProviderExchange {

        @Override
        public CanonicalResponse decode(byte[] body) {
            return ChatResponseDecoder.decode(body, idSeed, model);
        }

        @Override
        public StreamDecoder streamDecoder() {
            return new ChatStreamDecoder(idSeed);
        }
    }
}
