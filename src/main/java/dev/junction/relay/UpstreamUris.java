package dev.junction.relay;

import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Provider addresses by their text, parsed once: parsing a {@link URI} for every call cost about a
 * microsecond of the request's CPU. Bounded: past {@value #MAX} addresses (channels times the
 * paths their models make) the cache starts again.
 */
final class UpstreamUris {

    static final int MAX = 4096;

    private final ConcurrentHashMap<String, URI> uris = new ConcurrentHashMap<>();

    /** {@code baseUrl} followed by {@code path}, as a URI. */
    URI of(URI baseUrl, String path) {
        String text = baseUrl + path;
        URI uri = uris.get(text);
        if (uri == null) {
            uri = URI.create(text);
            if (uris.size() >= MAX) {
                uris.clear();
            }
            uris.put(text, uri);
        }
        return uri;
    }

    int size() {
        return uris.size();
    }
}
