package dev.junction.admin;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Matches a request line against the admin routes' templates. */
final class Router {

    /** A route and the path parameters it bound. */
    record Match(Route route, Map<String, String> params) {
    }

    private final List<Route> routes;

    Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    List<Route> routes() {
        return routes;
    }

    /** The route for a request; 404 when no template matches the path, 405 when none has the method. */
    Match match(String method, String path) {
        String[] parts = path.split("/", -1);
        TreeSet<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Map<String, String> params = bind(route.template().split("/", -1), parts);
            if (params == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Match(route, params);
            }
            allowed.add(route.method());
        }
        if (allowed.isEmpty()) {
            throw ApiException.notFound("There is no admin API endpoint " + method + " " + path + ".");
        }
        throw ApiException.methodNotAllowed(method + " is not allowed on " + path + "; allowed: "
                + String.join(", ", allowed) + ".");
    }

    private static Map<String, String> bind(String[] template, String[] parts) {
        if (template.length != parts.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), parts[i]);
            } else if (!t.equals(parts[i])) {
                return null;
            }
        }
        return params;
    }
}
