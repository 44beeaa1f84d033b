package dev.junction.relay;

import dev.junction.config.ChannelConfig;
import dev.junction.core.ChannelType;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.Message;
import dev.junction.core.canonical.Part;
import dev.junction.core.canonical.ResponseFormat;
import dev.junction.core.canonical.Sampling;
import dev.junction.core.canonical.ToolChoice;
import dev.junction.http.UpstreamRequest;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.ProviderCall;
import dev.junction.routing.KeyState;
import dev.junction.routing.ProviderKey;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one-token request health checks and key probes send, in the channel's own wire format: an
 * OpenAI chat body for {@code openai} channels, the translated equivalent for the others.
 */
final class ProbeCall {

    /** "ping", at most one token, not streamed. */
    private static final CanonicalRequest PING = new CanonicalRequest(List.of(),
            List.of(Message.user(List.of(Part.Text.of("ping")))), List.of(), ToolChoice.AUTO, true,
            Sampling.DEFAULT.withMaxTokens(1), Optional.empty(), ResponseFormat.TEXT, false, false, null);

    private ProbeCall() {
    }

    static UpstreamRequest of(ChannelConfig config, KeyState key, String upstreamModel, Duration firstByte,
            Duration total) {
        String secret = key.key().map(ProviderKey::secret).orElse(null);
        ProviderCall call = config.type() == ChannelType.OPENAI ? openAi(upstreamModel, secret)
                : TranslatedAttempt.codec(config).prepare(PING, upstreamModel, secret, "probe").call();
        return new UpstreamRequest(URI.create(config.baseUrl() + call.path()), call.headers(), call.body(),
                config.timeouts().connect(), firstByte, config.timeouts().idle(), total);
    }

    private static ProviderCall openAi(String upstreamModel, String secret) {
        Map<String, String> headers = new HashMap<>();
        if (secret != null) {
            headers.put("Authorization", "Bearer " + secret);
        }
        String body = "{\"model\":" + quote(upstreamModel)
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}],\"max_tokens\":1}";
        return new ProviderCall("/chat/completions", headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String text) {
        return JsonTrees.MAPPER.writeValueAsString(text);
    }
}
