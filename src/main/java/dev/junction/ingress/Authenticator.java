package dev.junction.ingress;

import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.governance.GatewayKey;
import dev.junction.governance.KeyRing;
import dev.junction.http.Exchange;
import java.util.Objects;
import java.util.function.Supplier;

/** Finds the gateway key of a request from {@code Authorization: Bearer …}. */
final class Authenticator {

    private final Supplier<KeyRing> keys;

    Authenticator(Supplier<KeyRing> keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /**
     * The caller's key, from whichever place its client API puts it: {@code Authorization: Bearer}
     * (OpenAI, and Anthropic with an auth token), {@code x-api-key} (Anthropic), {@code x-goog-api-key}
     * or {@code ?key=} (Gemini). 401 when it is missing or not ours.
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
        return keys.get().find(token).orElseThrow(() -> GatewayException.of(ErrorKind.AUTHENTICATION,
                "The gateway key is not valid."));
    }
}
