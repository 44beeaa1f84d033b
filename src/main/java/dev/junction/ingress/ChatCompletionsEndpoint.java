package dev.junction.ingress;

import dev.junction.core.Clock;
import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.core.TokenUsage;
import dev.junction.governance.GatewayKey;
import dev.junction.http.Endpoint;
import dev.junction.http.Exchange;
import dev.junction.protocol.openai.ChatClientRequest;
import dev.junction.protocol.openai.ChatRequest;
import dev.junction.relay.Relay;
import dev.junction.relay.RelayResult;
import dev.junction.routing.Router;
import dev.junction.usage.UsageRecord;
import dev.junction.usage.UsageWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /v1/chat/completions}: authenticate, validate, check the key's allow-list, relay,
 * record usage. Client mistakes are answered here and never reach an upstream.
 */
final class ChatCompletionsEndpoint implements Endpoint {

    private final Authenticator auth;
    private final Router router;
    private final Relay relay;
    private final UsageWriter usage;
    private final Clock clock;

    ChatCompletionsEndpoint(Authenticator auth, Router router, Relay relay, UsageWriter usage, Clock clock) {
        this.auth = auth;
        this.router = router;
        this.relay = relay;
        this.usage = usage;
        this.clock = clock;
    }

    @Override
    public void handle(Exchange exchange) throws Exception {
        Instant at = clock.now();
        long start = clock.nanoTime();
        GatewayKey key = null;
        ChatRequest request = null;
        try {
            key = auth.require(exchange);
            request = ChatRequest.parse(exchange.body());
            if (!key.allows(request.model())) {
                throw GatewayException.of(ErrorKind.PERMISSION,
                        "The key '" + key.name() + "' may not use model '" + request.model() + "'.");
            }
            if (!router.serves(request.model())) {
                throw GatewayException.of(ErrorKind.NOT_FOUND, "The model '" + request.model()
                        + "' does not exist here. GET /v1/models lists the models your key can use.");
            }
        } catch (GatewayException e) {
            OpenAiFormat.INSTANCE.reply(exchange.downstream(), e);
            usage.record(new UsageRecord(exchange.requestId(), at, key == null ? null : key.name(),
                    request == null ? null : request.model(), null, null, e.kind().status(), TokenUsage.NONE,
                    millisSince(start), -1, request != null && request.stream(), List.of(), "rejected"));
            return;
        }
        RelayResult result = relay.relay(ChatClientRequest.of(request), exchange.downstream());
        usage.record(new UsageRecord(exchange.requestId(), at, key.name(), request.model(), result.channel(),
                result.upstreamModel(), result.status(), result.usage(), millisSince(start), result.firstByteMillis(),
                request.stream(), result.attempts(), result.end().recordName()));
    }

    private long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - start);
    }

}
