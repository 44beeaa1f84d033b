package dev.junction.admin;

import java.util.Objects;

/**
 * One admin API route.
 *
 * @param method the HTTP method
 * @param template the path, with {@code {name}} for a path parameter, e.g. {@code /api/users/{id}}
 * @param open whether it is served without authentication (set-up, sign-in)
 * @param handler what serves it
 */
record Route(String method, String template, boolean open, Handler handler) {

    Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(handler, "handler");
    }

    static Route open(String method, String template, Handler handler) {
        return new Route(method, template, true, handler);
    }

    static Route of(String method, String template, Handler handler) {
        return new Route(method, template, false, handler);
    }

    /** Serves one call. */
    @FunctionalInterface
    interface Handler {
        Reply handle(Call call);
    }
}
