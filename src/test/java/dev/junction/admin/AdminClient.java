package dev.junction.admin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A client of the admin API over real HTTP, as a browser or a script would be: it keeps the
 * session cookie and the CSRF token it was given, or sends an admin token as a bearer credential.
 */
final class AdminClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private String cookie;
    private String csrf;
    private String bearer;
    private final Map<String, String> extraHeaders = new LinkedHashMap<>();

    AdminClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A client that authenticates with {@code Authorization: Bearer token}. */
    static AdminClient withBearer(String baseUrl, String token) {
        AdminClient client = new AdminClient(baseUrl);
        client.bearer = token;
        return client;
    }

    AdminClient header(String name, String value) {
        extraHeaders.put(name, value);
        return this;
    }

    /** Signs in; returns the response (the session is kept when it succeeds). */
    Response login(String name, String password) throws Exception {
        Response response = send("POST", "/api/login", "{\"name\":\"" + name + "\",\"password\":\"" + password + "\"}");
        keepSession(response);
        return response;
    }

    void keepSession(Response response) {
        if (response.status() == 200 || response.status() == 201) {
            response.raw().headers().firstValue("Set-Cookie").ifPresent(c -> cookie = c.split(";", 2)[0]);
            csrf = response.json().path("error").isMissingNode() ? response.json().path("csrf_token").stringValue()
                    : csrf;
        }
    }

    String cookie() {
        return cookie;
    }

    String csrf() {
        return csrf;
    }

    void csrf(String value) {
        csrf = value;
    }

    Response get(String path) throws Exception {
        return send("GET", path, null);
    }

    Response post(String path, String json) throws Exception {
        return send("POST", path, json);
    }

    Response patch(String path, String json) throws Exception {
        return send("PATCH", path, json);
    }

    Response put(String path) throws Exception {
        return send("PUT", path, null);
    }

    Response delete(String path) throws Exception {
        return send("DELETE", path, null);
    }

    Response send(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        if (csrf != null) {
            request.header("x-csrf-token", csrf);
        }
        extraHeaders.forEach(request::header);
        return new Response(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** One answer. */
    record Response(HttpResponse<String> raw) {
        int status() {
            return raw.statusCode();
        }

        JsonNode json() {
            return raw.body().isEmpty() ? Json.object() : Json.parse(raw.body());
        }

        String body() {
            return raw.body();
        }

        String errorCode() {
            return json().path("error").path("code").asString();
        }

        long id() {
            return json().path("id").asLong();
        }
    }
}
