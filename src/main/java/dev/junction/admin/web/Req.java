package dev.junction.admin.web;

import dev.junction.admin.AdminApi;
import dev.junction.admin.ApiAnswer;
import dev.junction.http.Exchange;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One browser request to a page: its path parameters, its form, and the admin API called on the
 * browser's behalf (its session, the form's CSRF token). Pages read and write only through the API.
 */
final class Req {

    private final Exchange exchange;
    private final AdminApi api;
    private final Map<String, String> params;
    private Form form;
    private Optional<Me> me;
    /** Query values a page set itself (re-showing a page after a POST), over the request's. */
    private final Map<String, String> queried = new java.util.HashMap<>();

    Req(Exchange exchange, AdminApi api, Map<String, String> params) {
        this.exchange = exchange;
        this.api = api;
        this.params = Map.copyOf(params);
    }

    Exchange exchange() {
        return exchange;
    }

    String path() {
        return exchange.path();
    }

    String method() {
        return exchange.method();
    }

    boolean post() {
        return exchange.method().equals("POST");
    }

    /** Whether htmx asked (it wants a fragment, not a whole page). */
    boolean htmx() {
        return exchange.header("HX-Request").isPresent();
    }

    String param(String name) {
        return params.getOrDefault(name, "");
    }

    Optional<String> query(String name) {
        String set = queried.get(name);
        return (set != null ? Optional.of(set) : exchange.query(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    /** This request, reading {@code value} as its query parameter {@code name} (a page shown again after a POST). */
    Req withQuery(String name, String value) {
        queried.put(name, value);
        return this;
    }

    /** The POSTed form (empty on other methods). */
    Form form() {
        if (form == null) {
            form = post() ? Form.parse(exchange.body()) : Form.EMPTY;
        }
        return form;
    }

    /** The signed-in user, asked of the API once per request. */
    Optional<Me> me() {
        if (me == null) {
            ApiAnswer answer = get("/api/me");
            me = answer.ok() ? Optional.of(Me.of(answer.body())) : Optional.empty();
        }
        return me;
    }

    ApiAnswer get(String pathAndQuery) {
        return api.call(exchange, "GET", pathAndQuery, null, null);
    }

    /** A write with the CSRF token the form carried (a cross-site form cannot know it). */
    ApiAnswer send(String method, String path, JsonNode body) {
        return api.call(exchange, method, path, body, form().get(Layout.CSRF_FIELD));
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
