package dev.junction.admin.web;

import dev.junction.admin.AdminApi;
import dev.junction.admin.ApiAnswer;
import dev.junction.http.Exchange;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One browser request to a page: its path parameters, its form, and the admin API called on the
 * browser's behalf (its session, the form's CSRF token). Pages read and write only through the API.
 * A page that reads many answers may {@linkplain #prefetch start them all at once} on the
 * dashboard's read threads.
 */
final class Req {

    private static final Logger LOG = LoggerFactory.getLogger(Req.class);

    /** The admin API as a page calls it ({@link AdminApi#call}). */
    @FunctionalInterface
    interface Api {
        ApiAnswer call(Exchange from, String method, String pathAndQuery, JsonNode json, String csrf);
    }

    private final Exchange exchange;
    private final Api api;
    private final Executor reads;
    private final Map<String, String> params;
    /** GETs started by {@link #prefetch}, by path and query. */
    private final Map<String, CompletableFuture<ApiAnswer>> prefetched = new HashMap<>();
    private Form form;
    private Optional<Me> me;
    /** Query values a page set itself (re-showing a page after a POST), over the request's. */
    private final Map<String, String> queried = new java.util.HashMap<>();

    /** A request whose {@link #prefetch prefetched} reads run on {@code reads}. */
    Req(Exchange exchange, Api api, Executor reads, Map<String, String> params) {
        this.exchange = exchange;
        this.api = api;
        this.reads = reads;
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

    /** The API's answer to a GET: the {@linkplain #prefetch prefetched} one when there is one, else asked now. */
    ApiAnswer get(String pathAndQuery) {
        CompletableFuture<ApiAnswer> answer = prefetched.get(pathAndQuery);
        return answer != null ? answer.join() : api.call(exchange, "GET", pathAndQuery, null, null);
    }

    /**
     * Starts the GETs of {@code pathsAndQueries} at once, on the dashboard's read threads, so that a
     * page of many reads waits about as long as its slowest few rather than their sum; {@link #get}
     * then returns their answers. Each read authenticates on its own, as any API call does. A read
     * that throws answers 500 with the usual message: its part of the page shows the error, the rest
     * renders. The answers are as of now: a {@link #send} forgets them.
     */
    void prefetch(String... pathsAndQueries) {
        for (String pathAndQuery : pathsAndQueries) {
            if (prefetched.containsKey(pathAndQuery)) {
                continue;
            }
            try {
                prefetched.put(pathAndQuery, CompletableFuture.supplyAsync(() -> read(pathAndQuery), reads));
            } catch (RejectedExecutionException closing) {
                return; // the dashboard is closing: get asks on this thread
            }
        }
    }

    private ApiAnswer read(String pathAndQuery) {
        try {
            return api.call(exchange, "GET", pathAndQuery, null, null);
        } catch (RuntimeException e) {
            LOG.error("dashboard read GET {} failed", pathAndQuery, e);
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            ObjectNode error = body.putObject("error");
            error.put("message", Errors.INTERNAL);
            error.put("type", "server_error");
            error.put("code", "internal_error");
            return new ApiAnswer(500, body, Map.of());
        }
    }

    /** A write with the CSRF token the form carried (a cross-site form cannot know it). */
    ApiAnswer send(String method, String path, JsonNode body) {
        prefetched.clear();
        return api.call(exchange, method, path, body, form().get(Layout.CSRF_FIELD));
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
