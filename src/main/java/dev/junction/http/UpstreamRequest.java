package dev.junction.http;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One request to a provider, with its time limits.
 *
 * @param uri full target URI
 * @param headers request headers (the provider credential among them)
 * @param body request bytes, sent as {@code application/json}
 * @param connect connect (and TLS handshake) limit
 * @param firstByte limit from sending to the first byte of the response body
 * @param idle longest silence between reads
 * @param total longest the whole exchange may take
 * @param upload a streamed body sent instead of {@code body} (an upload), or null
 */
public record UpstreamRequest(URI uri, Map<String, String> headers, byte[] body, Duration connect,
        Duration firstByte, Duration idle, Duration total, UploadBody upload) {

    /** A request with a JSON body. */
    public UpstreamRequest(URI uri, Map<String, String> headers, byte[] body, Duration connect,
            Duration firstByte, Duration idle, Duration total) {
        this(uri, headers, body, connect, firstByte, idle, total, null);
    }

    public UpstreamRequest {
        Objects.requireNonNull(uri, "uri");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(firstByte, "firstByte");
        Objects.requireNonNull(idle, "idle");
        Objects.requireNonNull(total, "total");
    }
}
