package dev.junction.ingress;

import dev.junction.governance.GatewayKey;
import dev.junction.http.Exchange;
import java.util.Objects;

/**
 * A request that passed authentication, reading, the allow-list and the model check, as each
 * {@link AdmissionCheck} sees it.
 *
 * @param exchange the client's request (headers, path; its body is already read)
 * @param key the caller's gateway key
 * @param subject what it asks for
 */
record Admitted(Exchange exchange, GatewayKey key, Subject subject) {

    public Admitted {
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(subject, "subject");
    }
}
