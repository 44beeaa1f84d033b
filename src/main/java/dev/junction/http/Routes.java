package dev.junction.http;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The route table: exact paths, then path prefixes (longest first), then a fallback. A path that
 * exists with another method gets the {@linkplain Builder#methodNotAllowed 405 endpoint} made for
 * that path and the methods it allows.
 */
public final class Routes {

    private final Map<String, Map<String, Endpoint>> exact;
    private final Map<String, Endpoint> prefixes;
    private final Endpoint notFound;
    private final Map<String, Endpoint> methodNotAllowed;

    private Routes(Map<String, Map<String, Endpoint>> exact, Map<String, Endpoint> prefixes, Endpoint notFound,
            Map<String, Endpoint> methodNotAllowed) {
        this.exact = Map.copyOf(exact);
        this.prefixes = prefixes;
        this.notFound = Objects.requireNonNull(notFound, "notFound");
        this.methodNotAllowed = Map.copyOf(methodNotAllowed);
    }

    /**
     * Makes the 405 answer of one path, which knows the path (for the client API's error shape) and
     * the methods the path serves (for the {@code Allow} header).
     */
    @FunctionalInterface
    public interface MethodNotAllowed {
        /**
         * @param allowed the methods the path serves, {@code HEAD} included wherever {@code GET} is
         */
        Endpoint endpoint(String path, List<String> allowed);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The endpoint for a request line. */
    public Endpoint find(String method, String path) {
        Map<String, Endpoint> byMethod = exact.get(path);
        if (byMethod == null) {
            Optional<Endpoint> prefixed = prefixes.entrySet().stream()
                    .filter(e -> path.startsWith(e.getKey()))
                    .map(Map.Entry::getValue)
                    .findFirst();
            return prefixed.orElse(notFound);
        }
        Endpoint endpoint = byMethod.get(method);
        if (endpoint == null && method.equals("HEAD")) {
            endpoint = byMethod.get("GET");
        }
        return endpoint != null ? endpoint : methodNotAllowed.getOrDefault(path, notFound);
    }

    /**
     * These routes with {@code endpoint} serving every path under {@code prefix} as well (a part
     * of the server with a route table of its own, e.g. the admin API under {@code /api/}).
     */
    public Routes mount(String prefix, Endpoint endpoint) {
        Map<String, Endpoint> withMount = new LinkedHashMap<>(prefixes);
        withMount.put(prefix, Objects.requireNonNull(endpoint));
        return new Routes(exact, longestFirst(withMount), notFound, methodNotAllowed);
    }

    /**
     * These routes with {@code endpoint} serving {@code GET} (and {@code HEAD}) of exactly {@code path}
     * as well, e.g. the dashboard's home page at {@code /}.
     */
    public Routes mountPage(String path, Endpoint endpoint) {
        Map<String, Map<String, Endpoint>> withPage = new HashMap<>(exact);
        withPage.put(path, Map.of("GET", Objects.requireNonNull(endpoint)));
        return new Routes(withPage, prefixes, notFound, methodNotAllowed);
    }

    private static Map<String, Endpoint> longestFirst(Map<String, Endpoint> prefixes) {
        Map<String, Endpoint> sorted = new LinkedHashMap<>();
        prefixes.entrySet().stream().sorted((a, b) -> b.getKey().length() - a.getKey().length())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** Collects routes. */
    public static final class Builder {
        private final Map<String, Map<String, Endpoint>> exact = new HashMap<>();
        private final Map<String, Endpoint> prefixes = new LinkedHashMap<>();
        private Endpoint notFound;
        private MethodNotAllowed methodNotAllowed;

        public Builder route(String method, String path, Endpoint endpoint) {
            exact.computeIfAbsent(path, p -> new HashMap<>()).put(method, Objects.requireNonNull(endpoint));
            return this;
        }

        /** Serves every path under {@code prefix} (checked after exact paths). */
        public Builder prefix(String prefix, Endpoint endpoint) {
            prefixes.put(prefix, Objects.requireNonNull(endpoint));
            return this;
        }

        public Builder notFound(Endpoint endpoint) {
            this.notFound = endpoint;
            return this;
        }

        public Builder methodNotAllowed(MethodNotAllowed factory) {
            this.methodNotAllowed = factory;
            return this;
        }

        public Routes build() {
            Objects.requireNonNull(methodNotAllowed, "methodNotAllowed");
            Map<String, Endpoint> refusals = new HashMap<>();
            exact.forEach((path, byMethod) -> {
                TreeSet<String> allowed = new TreeSet<>(byMethod.keySet());
                if (allowed.contains("GET")) {
                    allowed.add("HEAD");
                }
                refusals.put(path, Objects.requireNonNull(methodNotAllowed.endpoint(path, List.copyOf(allowed))));
            });
            return new Routes(exact, longestFirst(prefixes), notFound, refusals);
        }
    }
}
