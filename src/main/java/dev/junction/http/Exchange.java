package dev.junction.http;

import dev.junction.core.GatewayException;
import java.util.Optional;

/** One client request as an endpoint sees it. */
public interface Exchange {

    String requestId();

    String method();

    /** The path without query string, e.g. {@code /v1/chat/completions}. */
    String path();

    /** A query parameter, if present. */
    Optional<String> query(String name);

    /** A request header, if present. */
    Optional<String> header(String name);

    /**
     * Reads the whole body.
     *
     * @throws GatewayException 413 when the body is larger than the configured limit
     */
    byte[] body();

    Downstream downstream();

    /** The address of the peer that connected (a proxy's, when behind one); empty when unknown. */
    default String remoteAddress() {
        return "";
    }

    /** Whether the request reached the gateway over TLS. */
    default boolean secure() {
        return false;
    }
}
