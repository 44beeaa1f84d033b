package dev.junction.ingress;

import dev.junction.http.Downstream;
import dev.junction.http.Exchange;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** An exchange held in memory: a request to answer, and what the endpoint answered. */
final class FakeExchange implements Exchange, Downstream {

    private final String method;
    private final String path;
    private final Map<String, String> headers = new HashMap<>();
    private final Map<String, String> query = new HashMap<>();
    private final byte[] body;
    final Map<String, String> responseHeaders = new HashMap<>();
    int status;
    String answer;
    boolean clientGone;
    boolean malformedQuery;

    FakeExchange(String method, String path, String body) {
        this.method = method;
        this.path = path;
        this.body = body.getBytes(StandardCharsets.UTF_8);
    }

    FakeExchange withHeader(String name, String value) {
        headers.put(name.toLowerCase(), value);
        return this;
    }

    @Override
    public String requestId() {
        return "req_test";
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
        if (malformedQuery) {
            throw new IllegalArgumentException("Not valid encoding '%zz'");
        }
        return Optional.ofNullable(query.get(name));
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase()));
    }

    @Override
    public byte[] body() {
        return body;
    }

    @Override
    public Downstream downstream() {
        return this;
    }

    @Override
    public void header(String name, String value) {
        responseHeaders.put(name, value);
    }

    @Override
    public void respond(int status, String contentType, byte[] body) throws ClientGoneException {
        if (clientGone) {
            throw new ClientGoneException(null);
        }
        this.status = status;
        this.answer = new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public void startStream(int status) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void send(byte[] bytes) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void finish() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean committed() {
        return answer != null;
    }

    @Override
    public void onClientGone(Runnable action) {
    }
}
