package dev.junction.admin;

import dev.junction.http.Downstream;
import dev.junction.http.Exchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An admin API request made inside the gateway on behalf of a browser request (a dashboard page):
 * the browser's cookie, address and scheme, with the page's method, path, query, JSON body and
 * CSRF token. Its {@link Downstream} keeps the answer instead of writing it.
 */
final class InProcessExchange implements Exchange, Downstream {

    private final Exchange from;
    private final String method;
    private final String path;
    private final Map<String, String> query;
    private final byte[] body;
    private final String csrf;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private int status;
    private byte[] answer;

    InProcessExchange(Exchange from, String method, String pathAndQuery, byte[] body, String csrf) {
        this.from = from;
        this.method = method;
        int mark = pathAndQuery.indexOf('?');
        this.path = mark < 0 ? pathAndQuery : pathAndQuery.substring(0, mark);
        this.query = mark < 0 ? Map.of() : parse(pathAndQuery.substring(mark + 1));
        this.body = body;
        this.csrf = csrf;
    }

    private static Map<String, String> parse(String query) {
        Map<String, String> values = new HashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(name, value);
        }
        return values;
    }

    @Override
    public String requestId() {
        return from.requestId();
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    @Override
    public Optional<String> header(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("content-type")) {
            return body == null ? Optional.empty() : Optional.of("application/json");
        }
        if (lower.equals(Sessions.CSRF_HEADER)) {
            return Optional.ofNullable(csrf);
        }
        if (lower.equals("cookie") || lower.equals("authorization") || lower.startsWith("x-forwarded-")
                || lower.equals("user-agent")) {
            return from.header(name);
        }
        return Optional.empty();
    }

    @Override
    public byte[] body() {
        return body == null ? new byte[0] : body;
    }

    @Override
    public Downstream downstream() {
        return this;
    }

    @Override
    public String remoteAddress() {
        return from.remoteAddress();
    }

    @Override
    public boolean secure() {
        return from.secure();
    }

    @Override
    public void header(String name, String value) {
        headers.put(name, value);
    }

    @Override
    public void respond(int status, String contentType, byte[] body) {
        this.status = status;
        this.answer = body;
    }

    @Override
    public void startStream(int status) {
        throw new UnsupportedOperationException("the admin API does not stream");
    }

    @Override
    public void send(byte[] bytes) {
        throw new UnsupportedOperationException("the admin API does not stream");
    }

    @Override
    public void finish() {
        throw new UnsupportedOperationException("the admin API does not stream");
    }

    @Override
    public boolean committed() {
        return answer != null;
    }

    @Override
    public void onClientGone(Runnable action) {
        from.downstream().onClientGone(action);
    }

    ApiAnswer answer() {
        if (answer == null) {
            throw new IllegalStateException("the admin API did not answer");
        }
        var node = answer.length == 0 ? tools.jackson.databind.node.MissingNode.getInstance()
                : Json.MAPPER.readTree(answer);
        return new ApiAnswer(status, node, headers);
    }
}
