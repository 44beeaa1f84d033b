package dev.junction.relay;

import dev.junction.config.ChannelConfig;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.Message;
import dev.junction.core.canonical.Part;
import dev.junction.core.canonical.ResponseFormat;
import dev.junction.core.canonical.Sampling;
import dev.junction.core.canonical.ToolChoice;
import dev.junction.http.UpstreamRequest;
import dev.junction.protocol.ProviderCall;
import dev.junction.protocol.ProviderExchange;
import dev.junction.protocol.responses.ResponsesProbe;
import dev.junction.routing.KeyState;
import dev.junction.routing.ProviderKey;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The one-token request health checks, circuit and key probes and the dashboard's Test button
 * send, in the channel's own wire format: a canonical "ping" encoded by the channel type's codec,
 * with the channel's quirks, exactly as a translated request to that channel would be; on a
 * {@code responses: true} channel, the Responses API's ping.
 */
final class ProbeCall {

    /** "ping", at most one token, not streamed. */
    private static final CanonicalRequest PING = new CanonicalRequest(List.of(),
            List.of(Message.user(List.of(Part.Text.of("ping")))), List.of(), ToolChoice.AUTO, true,
            Sampling.DEFAULT.withMaxTokens(1), Optional.empty(), ResponseFormat.TEXT, false, false, null);

    private ProbeCall() {
    }

    /** The health check's, circuit probe's and key probe's request (see {@link #exchange}). */
    static UpstreamRequest of(ChannelConfig config, KeyState key, String upstreamModel, Duration firstByte,
            Duration total) {
        String secret = key.key().map(ProviderKey::secret).orElse(null);
        return request(config, exchange(config, secret, upstreamModel).call(), firstByte, total);
    }

    /**
     * The prepared ping for {@code secret} (null: no auth), which also decodes its answer; the one
     * request every probe and the dashboard's Test button send. A channel that serves the Responses
     * API ({@code responses: true}) is asked there, {@code POST /responses} with the same headers
     * ({@link ResponsesProbe}): its upstream may serve that API only (gpt-5-codex does), and a probe
     * it always refuses would keep a recovered channel out until {@code open_for} passed.
     */
    static ProviderExchange exchange(ChannelConfig config, String secret, String upstreamModel) {
        ProviderExchange chat = Codecs.of(config.type()).prepare(PING, upstreamModel, secret, "probe",
                config.quirks());
        return config.responses() ? ResponsesProbe.of(upstreamModel, chat.call().headers()) : chat;
    }

    static UpstreamRequest request(ChannelConfig config, ProviderCall call, Duration firstByte, Duration total) {
        return new UpstreamRequest(URI.create(config.baseUrl() + call.path()), call.headers(), call.body(),
                config.timeouts().connect(), firstByte, config.timeouts().idle(), total);
    }
}
