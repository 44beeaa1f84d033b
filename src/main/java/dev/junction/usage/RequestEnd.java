package dev.junction.usage;

import dev.junction.core.ErrorKind;
import java.util.Objects;

/**
 * How one request ended, as the observers of finished requests (metrics, the access log) see it:
 * its usage row plus what the row does not hold. Made once per request, when admission closes it.
 *
 * @param record the request's usage row; for a route that writes none (model listings and lookups,
 *     a local token count) a row made the same way but not stored
 * @param method HTTP method
 * @param path request path, never with its query string (which may hold {@code ?key=})
 * @param clientAddress address of the connected peer (a proxy's when behind one), empty when unknown
 * @param refusal what the gateway refused the request as ({@link ErrorKind#INTERNAL} for a crash),
 *     null when it was relayed or answered
 * @param admittedNanos time from arrival until admission let the request through (key, body,
 *     allow-list, model, checks), -1 when it was not admitted
 * @param elapsedNanos time from arrival to the end of the request
 */
public record RequestEnd(UsageRecord record, String method, String path, String clientAddress, ErrorKind refusal,
        long admittedNanos, long elapsedNanos) {

    public RequestEnd {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(clientAddress, "clientAddress");
    }
}
