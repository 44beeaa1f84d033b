package dev.junction.ingress;

import dev.junction.core.Clock;
import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.governance.GatewayKey;
import dev.junction.governance.KeyRing;
import dev.junction.governance.KeySource;
import dev.junction.http.Exchange;
import java.util.Objects;

/**
 * Finds the gateway key of a request from {@code Authorization: Bearer …} (or wherever its client
 * API puts it) in the in-memory {@link KeyRing}, which is replaced whenever keys change.
 */
final class Authenticator {

    private final KeySource keys;
    private final Clock clock;

    Authenticator(KeySource keys) {
        this(keys, Clock.system());
    }

    Authenticator(KeySource keys, Clock clock) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The caller's key, from whichever place its client API puts it: {@code Authorization: Bearer}
     * (OpenAI, and Anthropic with an auth token), {@code x-api-key} (Anthropic), {@code x-goog-api-key}
     * or {@code ?key=} (Gemini). 401 when it is missing, not ours or expired (an expired key is no
     * longer a credential: the client must get a new one, as with a wrong one, and SDKs do not
     * retry a 401); 403 when the key is valid but not from the client's address.
     */
    GatewayKey require(Exchange exchange) {
        String token = exchange.header("Authorization")
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).strip())
                .or(() -> exchange.header("x-api-key"))
                .or(() -> exchange.header("x-goog-api-key"))
                .or(() -> exchange.query("key"))
                .map(String::strip)
                .orElse(null);
        if (token == null || token.isEmpty()) {
            throw GatewayException.of(ErrorKind.AUTHENTICATION,
                    "Missing gateway key: send it as 'Authorization: Bearer <key>' (or x-api-key / x-goog-api-key).");
        }
        GatewayKey key = keys.ring().find(token).or(() -> keys.settled().find(token))
                .orElseThrow(() -> GatewayException.of(ErrorKind.AUTHENTICATION, "The gateway key is not valid."));
        if (key.expiresAt().isPresent() && key.expired(clock.now())) {
            throw GatewayException.of(ErrorKind.AUTHENTICATION, "The gateway key '" + key.name() + "' expired at "
                    + key.expiresAt().get() + ".");
        }
        if (!key.addresses().isEmpty() && !key.admitsAddress(exchange.remoteAddress())) {
            throw GatewayException.of(ErrorKind.PERMISSION, "The gateway key '" + key.name()
                    + "' may not be used from this address (" + exchange.remoteAddress() + ").");
        }
        return key;
    }
}
