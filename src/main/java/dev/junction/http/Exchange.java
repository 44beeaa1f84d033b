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

    /**
     * The body as a stream, for an upload that must not be held in memory. It is read as it
     * arrives, under the same limits as {@link #body()}: a read past the configured body limit
     * throws a {@link GatewayException} (413), and a body that comes too slowly one (400). Use
     * either this or {@link #body()}, once.
     */
    default java.io.InputStream bodyStream() {
        return new java.io.ByteArrayInputStream(body());
    }

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
