package dev.junction.http;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The route table: exact paths, then path prefixes (longest first), then a fallback. A path that
 * exists with another method gets {@link #methodNotAllowed()}.
 */
public final class Routes {

    private final Map<String, Map<String, Endpoint>> exact;
    private final Map<String, Endpoint> prefixes;
    private final Endpoint notFound;
    private final Endpoint methodNotAllowed;

    private Routes(Builder builder) {
        this.exact = Map.copyOf(builder.exact);
        this.prefixes = builder.prefixes;
        this.notFound = Objects.requireNonNull(builder.notFound, "notFound");
        this.methodNotAllowed = Objects.requireNonNull(builder.methodNotAllowed, "methodNotAllowed");
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
        return endpoint != null ? endpoint : methodNotAllowed;
    }

    /**
     * These routes with {@code endpoint} serving every path under {@code prefix} as well (a part
     * of the server with a route table of its own, e.g. the admin API under {@code /api/}).
     */
    public Routes mount(String prefix, Endpoint endpoint) {
        Builder builder = new Builder();
        exact.forEach((path, byMethod) -> byMethod.forEach((method, e) -> builder.route(method, path, e)));
        prefixes.forEach(builder::prefix);
        return builder.prefix(prefix, endpoint).notFound(notFound).methodNotAllowed(methodNotAllowed).build();
    }

    Endpoint methodNotAllowed() {
        return methodNotAllowed;
    }

    /** Collects routes. */
    public static final class Builder {
        private final Map<String, Map<String, Endpoint>> exact = new HashMap<>();
        private final Map<String, Endpoint> prefixes = new LinkedHashMap<>();
        private Endpoint notFound;
        private Endpoint methodNotAllowed;

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

        public Builder methodNotAllowed(Endpoint endpoint) {
            this.methodNotAllowed = endpoint;
            return this;
        }

        public Routes build() {
            List<Map.Entry<String, Endpoint>> sorted = prefixes.entrySet().stream()
                    .sorted((a, b) -> b.getKey().length() - a.getKey().length())
                    .toList();
            prefixes.clear();
            sorted.forEach(e -> prefixes.put(e.getKey(), e.getValue()));
            return new Routes(this);
        }
    }
}
