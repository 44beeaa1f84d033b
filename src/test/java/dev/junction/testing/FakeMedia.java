package dev.junction.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fake of OpenAI's media endpoints ({@code /v1/images/*}, {@code /v1/audio/*},
 * {@code /v1/moderations}) and of a Jina/Cohere-style {@code /v1/rerank}, over real HTTP, as strict
 * as the real ones about what reaches them: a JSON endpoint refuses any other {@code Content-Type}
 * (400), an upload endpoint refuses a body that is not {@code multipart/form-data} with a boundary
 * or that Jetty's own multipart parser cannot read (400), and each checks its required fields and
 * the file's type (audio by extension, images by MIME type or extension). Uploads are parsed to
 * disk and hashed, never held in memory, so a 100 MB upload costs this fake no heap. Unlike
 * {@link FakeProvider} (whose requests are JSON, read whole) it stands alone.
 */
public final class FakeMedia implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> AUDIO = Set.of("flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg", "wav",
            "webm");
    private static final Set<String> IMAGE = Set.of("png", "jpg", "jpeg", "webp");

    /** What the fake does with one request. */
    public sealed interface Reply {
    }

    /** The endpoint's normal answer. */
    public record Ok() implements Reply {
    }

    /** An error status with OpenAI's error body and these headers. */
    public record Fail(int code, Map<String, String> headers) implements Reply {
    }

    /** Speech that starts and is cut (the connection closed) after {@code bytes} bytes. */
    public record CutSpeech(int bytes) implements Reply {
    }

    /** A file part as received: its size and SHA-256. */
    public record FilePart(String name, String filename, String contentType, long size, String sha256) {
    }

    /**
     * A request as received.
     *
     * @param json the JSON body, or null for an upload
     * @param fields the plain fields of an upload
     * @param files the file parts of an upload
     */
    public record Received(String path, Map<String, String> headers, JsonNode json, Map<String, String> fields,
            List<FilePart> files) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The model the request named. */
        public String model() {
            return json != null ? json.path("model").asString() : fields.get("model");
        }
    }

    /** Bytes of the speech answer. */
    public static byte[] speech(int length) {
        byte[] audio = new byte[length];
        for (int i = 0; i < length; i++) {
            audio[i] = (byte) (i * 31 + 7);
        }
        return audio;
    }

    private final Server server;
    private final ServerConnector connector;
    private final String apiKey;
    private final Path files;
    private final ConcurrentLinkedQueue<Reply> queue = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int speechBytes = 200_000;
    private volatile CountDownLatch uploadArrived;
    private volatile CountDownLatch uploadRelease;

    private FakeMedia(String apiKey, Path files) throws Exception {
        this.apiKey = apiKey;
        this.files = files;
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setVirtualThreadsExecutor(new VirtualThreadPool(256));
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract(Handler.Abstract.InvocationType.BLOCKING) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                serve(request, response, callback);
                return true;
            }
        });
        server.start();
    }

    /** A fake that takes {@code Authorization: Bearer <apiKey>}; uploads are parsed into {@code files}. */
    public static FakeMedia start(String apiKey, Path files) throws Exception {
        return new FakeMedia(apiKey, files);
    }

    /** The {@code base_url} of a channel ({@code …/v1}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + connector.getLocalPort() + "/v1";
    }

    public FakeMedia then(Reply... replies) {
        queue.addAll(List.of(replies));
        return this;
    }

    /** The size of the speech answer from now on. */
    public FakeMedia speechBytes(int bytes) {
        speechBytes = bytes;
        return this;
    }

    /**
     * The next upload waits, unread, until {@code release} is counted down, after counting down
     * the returned latch: the gateway is then sending into a full connection.
     */
    public CountDownLatch holdNextUpload(CountDownLatch release) {
        uploadRelease = release;
        uploadArrived = new CountDownLatch(1);
        return uploadArrived;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public Received last() {
        return received.getLast();
    }

    public int requestCount() {
        return received.size();
    }

    private void serve(Request request, Response response, Callback callback) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        request.getHeaders().forEach(f -> headers.put(f.getLowerCaseName(), f.getValue()));
        String path = Request.getPathInContext(request);
        String type = headers.getOrDefault("content-type", "");
        String auth = headers.getOrDefault("authorization", "");
        if (!auth.equals("Bearer " + apiKey)) {
            drain(request);
            received.add(new Received(path, headers, null, Map.of(), List.of()));
            json(response, callback, 401, error("Incorrect API key provided", "invalid_request_error"));
            return;
        }
        boolean upload = Set.of("/v1/images/edits", "/v1/images/variations", "/v1/audio/transcriptions",
                "/v1/audio/translations").contains(path);
        boolean known = upload || Set.of("/v1/images/generations", "/v1/audio/speech", "/v1/moderations",
                "/v1/rerank").contains(path);
        if (!known) {
            drain(request);
            json(response, callback, 404, error("Invalid URL (POST " + path + ")", "invalid_request_error"));
            return;
        }
        Received got;
        String problem;
        if (upload) {
            CountDownLatch arrived = uploadArrived;
            if (arrived != null) {
                uploadArrived = null;
                arrived.countDown();
                uploadRelease.await(60, TimeUnit.SECONDS);
            }
            if (!type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data") || !type.contains("boundary=")) {
                drain(request);
                received.add(new Received(path, headers, null, Map.of(), List.of()));
                json(response, callback, 400, error("Invalid Content-Type header (" + type + "), expected "
                        + "multipart/form-data", "invalid_request_error"));
                return;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            List<FilePart> parts = new ArrayList<>();
            try {
                readMultipart(request, type, fields, parts);
            } catch (Exception e) {
                received.add(new Received(path, headers, null, fields, parts));
                json(response, callback, 400, error("Could not parse multipart form: " + e + " / " + e.getCause(),
                        "invalid_request_error"));
                return;
            }
            got = new Received(path, headers, null, Map.copyOf(fields), List.copyOf(parts));
            problem = checkUpload(got);
        } else {
            byte[] bytes = Content.Source.asInputStream(request).readAllBytes();
            if (!type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                received.add(new Received(path, headers, null, Map.of(), List.of()));
                json(response, callback, 400, error("Invalid Content-Type header (" + type + "), expected "
                        + "application/json", "invalid_request_error"));
                return;
            }
            JsonNode body;
            try {
                body = JSON.readTree(bytes);
            } catch (RuntimeException e) {
                received.add(new Received(path, headers, null, Map.of(), List.of()));
                json(response, callback, 400, error("We could not parse the JSON body of your request.",
                        "invalid_request_error"));
                return;
            }
            got = new Received(path, headers, body, Map.of(), List.of());
            problem = checkJson(got);
        }
        received.add(got);
        if (problem != null) {
            json(response, callback, 400, error(problem, "invalid_request_error"));
            return;
        }
        Reply reply = queue.poll();
        switch (reply == null ? new Ok() : reply) {
            case Fail(int code, Map<String, String> extra) -> {
                extra.forEach(response.getHeaders()::put);
                json(response, callback, code, error("fake " + code, code == 429 ? "requests"
                        : code >= 500 ? "server_error" : "invalid_request_error"));
            }
            case CutSpeech(int bytes) -> {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "audio/mpeg");
                byte[] audio = speech(bytes);
                write(response, false, ByteBuffer.wrap(audio));
                Thread.sleep(50);
                request.getConnectionMetaData().getConnection().getEndPoint().close();
                callback.failed(new IOException("cut by the fake"));
            }
            case Ok() -> answer(got, response, callback);
        }
    }

    private String checkJson(Received got) {
        JsonNode body = got.json();
        if (!body.path("model").isString() || body.path("model").asString().isEmpty()) {
            return "you must provide a model parameter";
        }
        return switch (got.path()) {
            case "/v1/images/generations" -> body.path("prompt").isString() ? null : "'prompt' is required";
            case "/v1/audio/speech" -> !body.path("input").isString() ? "'input' is required"
                    : !body.path("voice").isString() ? "'voice' is required" : null;
            case "/v1/moderations" -> body.has("input") ? null : "'input' is required";
            case "/v1/rerank" -> body.path("query").isString() && body.path("documents").isArray() ? null
                    : "'query' and 'documents' are required";
            default -> "unknown endpoint";
        };
    }

    private static String checkUpload(Received got) {
        if (got.fields().getOrDefault("model", "").isEmpty()) {
            return "you must provide a model parameter";
        }
        boolean images = got.path().startsWith("/v1/images/");
        List<FilePart> wanted = got.files().stream().filter(f -> images ? f.name().equals("image")
                || f.name().equals("image[]") : f.name().equals("file")).toList();
        if (wanted.isEmpty()) {
            return images ? "'image' is required" : "'file' is required";
        }
        for (FilePart file : wanted) {
            String name = file.filename() == null ? "" : file.filename().toLowerCase(Locale.ROOT);
            String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
            if (images) {
                String mime = file.contentType() == null ? "" : file.contentType().toLowerCase(Locale.ROOT);
                if (!(Set.of("image/png", "image/jpeg", "image/webp").contains(mime) || IMAGE.contains(extension))) {
                    return "Invalid file 'image': unsupported mimetype ('" + mime + "'). Supported file formats are "
                            + "'image/jpeg', 'image/png', and 'image/webp'.";
                }
            } else if (!AUDIO.contains(extension)) {
                return "Invalid file format. Supported formats: " + AUDIO;
            }
        }
        if (got.path().equals("/v1/images/edits") && got.fields().getOrDefault("prompt", "").isEmpty()) {
            return "'prompt' is required";
        }
        return null;
    }

    private void readMultipart(Request request, String type, Map<String, String> fields, List<FilePart> parts)
            throws Exception {
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(MultiPart.extractBoundary(type));
        parser.setFilesDirectory(files);
        parser.setMaxMemoryFileSize(64 << 10);
        parser.setMaxFileSize(-1);
        parser.setMaxLength(-1);
        try (MultiPartFormData.Parts form = parser.parse(request).get(120, TimeUnit.SECONDS)) {
            for (MultiPart.Part part : form) {
                if (part.getFileName() == null) {
                    fields.put(part.getName(), part.getContentAsString(StandardCharsets.UTF_8));
                    continue;
                }
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                long size = 0;
                try (InputStream in = Content.Source.asInputStream(part.createContentSource())) {
                    byte[] buffer = new byte[64 << 10];
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        sha.update(buffer, 0, n);
                        size += n;
                    }
                }
                parts.add(new FilePart(part.getName(), part.getFileName(),
                        part.getHeaders().get(HttpHeader.CONTENT_TYPE), size, HexFormat.of().formatHex(sha.digest())));
            }
        }
    }

    private void answer(Received got, Response response, Callback callback) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        switch (got.path()) {
            case "/v1/images/generations", "/v1/images/edits", "/v1/images/variations" -> {
                int n = got.json() != null ? got.json().path("n").asInt(1)
                        : Integer.parseInt(got.fields().getOrDefault("n", "1"));
                root.put("created", 1_700_000_000);
                ArrayNode data = root.putArray("data");
                for (int i = 0; i < n; i++) {
                    data.addObject().put("b64_json", "aW1hZ2U=");
                }
                if (got.model().startsWith("gpt-image")) {
                    root.putObject("usage").put("input_tokens", 50).put("output_tokens", 4160)
                            .put("total_tokens", 4210);
                }
            }
            case "/v1/audio/transcriptions", "/v1/audio/translations" -> {
                String format = got.fields().getOrDefault("response_format", "json");
                if (Set.of("text", "srt", "vtt").contains(format)) {
                    response.setStatus(200);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                    write(response, true, ByteBuffer.wrap("hello from the fake\n".getBytes(StandardCharsets.UTF_8)));
                    callback.succeeded();
                    return;
                }
                root.put("text", "hello from the fake");
                if (got.model().startsWith("whisper")) {
                    // whisper-1 reports the seconds it bills: as verbose_json's duration, and (newer answers)
                    // as usage of type duration; a translation says neither
                    if (format.equals("verbose_json")) {
                        root.put("task", "transcribe").put("language", "english").put("duration", 12.6);
                    } else if (got.path().endsWith("transcriptions")) {
                        root.putObject("usage").put("type", "duration").put("seconds", 9);
                    }
                } else if (got.path().endsWith("transcriptions")) {
                    root.putObject("usage").put("type", "tokens").put("input_tokens", 21).put("output_tokens", 5)
                            .put("total_tokens", 26);
                }
            }
            case "/v1/moderations" -> {
                root.put("id", "modr-fake").put("model", got.model());
                root.putArray("results").addObject().put("flagged", false).putObject("categories");
            }
            case "/v1/rerank" -> {
                root.put("model", got.model());
                ArrayNode results = root.putArray("results");
                int count = got.json().path("documents").size();
                for (int i = count - 1; i >= 0; i--) {
                    results.addObject().put("index", i).put("relevance_score", 1.0 / (count - i + 1));
                }
                if (got.model().startsWith("rerank-")) {
                    // Cohere bills searches
                    root.putObject("meta").putObject("billed_units").put("search_units", 1);
                } else {
                    root.putObject("usage").put("total_tokens", 17);
                }
            }
            case "/v1/audio/speech" -> {
                String format = got.json().path("response_format").asString("mp3");
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, format.equals("wav") ? "audio/wav" : "audio/mpeg");
                byte[] audio = speech(speechBytes);
                for (int at = 0; at < audio.length; at += 16384) {
                    write(response, false, ByteBuffer.wrap(audio, at, Math.min(16384, audio.length - at)));
                }
                write(response, true, ByteBuffer.allocate(0));
                callback.succeeded();
                return;
            }
            default -> throw new IllegalStateException(got.path());
        }
        json(response, callback, 200, root.toString());
    }

    private static String error(String message, String type) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("message", message).put("type", type).putNull("param").putNull("code");
        return root.toString();
    }

    private static void drain(Request request) throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    private static void json(Response response, Callback callback, int status, String body) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        write(response, true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
        callback.succeeded();
    }

    private static void write(Response response, boolean last, ByteBuffer buffer) throws IOException {
        try (Blocker.Callback cb = Blocker.callback()) {
            response.write(last, buffer, cb);
            cb.block();
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
        try (var stream = Files.list(files)) {
            stream.forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // the folder is a test's temporary folder
        }
    }
}
