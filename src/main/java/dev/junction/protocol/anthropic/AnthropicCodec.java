package dev.junction.protocol.anthropic;

import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.protocol.ChannelCodec;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.ProviderCall;
import dev.junction.protocol.ProviderExchange;
import dev.junction.protocol.StreamDecoder;
import java.util.HashMap;
import java.util.Map;

/** Channels of type {@code anthropic}: {@code POST {base_url}/v1/messages}, {@code x-api-key}, version 2023-06-01. */
public final class AnthropicCodec implements ChannelCodec {

    public static final AnthropicCodec INSTANCE = new AnthropicCodec();
    static final String VERSION = "2023-06-01";

    private AnthropicCodec() {
    }

    @Override
    public ProviderExchange prepare(CanonicalRequest request, String model, String apiKey, String idSeed) {
        MessagesRequestEncoder.Encoded encoded = MessagesRequestEncoder.encode(request, model);
        Map<String, String> headers = new HashMap<>();
        if (apiKey != null) {
            headers.put("x-api-key", apiKey);
        }
        headers.put("anthropic-version", VERSION);
        headers.put("Accept", request.stream() ? "text/event-stream" : "application/json");
        ProviderCall call = new ProviderCall("/v1/messages", headers, JsonTrees.bytes(encoded.body()));
        return new Exchange(call, encoded.responseTool(), model);
    }

    private record Exchange(ProviderCall call, String responseTool, String model) implements ProviderExchange {

        @Override
        public CanonicalResponse decode(byte[] body) {
            return MessagesResponseDecoder.decode(body, responseTool, model);
        }

        @Override
        public StreamDecoder streamDecoder() {
            return new MessagesStreamDecoder(responseTool);
        }
    }
}
