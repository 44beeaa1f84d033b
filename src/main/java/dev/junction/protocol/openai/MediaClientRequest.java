package dev.junction.protocol.openai;

import dev.junction.core.ChannelApi;
import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.core.Needs;
import dev.junction.core.TokenUsage;
import dev.junction.core.Units;
import dev.junction.protocol.AudioLength;
import dev.junction.protocol.ChannelCodec;
import dev.junction.protocol.EndpointRequest;
import dev.junction.protocol.EndpointRoute;
import dev.junction.protocol.ImagesCodec;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.MalformedAnswerException;
import dev.junction.protocol.MultipartUpload;
import dev.junction.protocol.ProviderCall;
import dev.junction.protocol.ProviderError;
import dev.junction.protocol.Route;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A request to one of OpenAI's {@link MediaEndpoint media endpoints}: images, speech, transcription
 * and translation, moderations, rerank. An {@code openai} channel gets it by pass-through: the
 * client's bytes with only the model's value replaced (in the JSON, or the {@code model} part of
 * the multipart upload, the rest streamed from where it was spooled). A {@code gemini} channel
 * draws images through {@link ImagesCodec}; every other endpoint on every other channel type is
 * {@link EndpointRoute.Missing missing}, which the relay skips without a verdict.
 *
 * <p>A binary or text answer (speech audio, a transcript as text, SRT or VTT, any asked-for event
 * stream) is relayed as it arrives; a JSON answer is read whole for its usage.
 */
public final class MediaClientRequest implements EndpointRequest, AutoCloseable {

    private static final Set<String> TEXT_FORMATS = Set.of("text", "srt", "vtt");

    private final MediaEndpoint endpoint;
    private final String model;
    private final boolean stream;
    private final byte[] json;
    private final ObjectNode root;
    private final MultipartUpload upload;
    private final Function<ChannelType, ChannelCodec> codecs;
    /** What the request alone says it is billed by (images asked for, characters, the upload's length). */
    private final Units asked;
    /** What the answer of the attempt that served it said (images made, seconds, searches), or null. */
    private volatile Units answered;

    private MediaClientRequest(MediaEndpoint endpoint, String model, boolean stream, byte[] json, ObjectNode root,
            MultipartUpload upload, Function<ChannelType, ChannelCodec> codecs) {
        this.endpoint = endpoint;
        this.model = model;
        this.stream = stream;
        this.json = json;
        this.root = root;
        this.upload = upload;
        this.codecs = codecs;
        this.asked = asked();
    }

    /** The unit each endpoint is billed by. */
    public static String unitOf(MediaEndpoint endpoint) {
        return switch (endpoint) {
            case IMAGES_GENERATIONS, IMAGES_EDITS, IMAGES_VARIATIONS -> Units.IMAGE;
            case AUDIO_SPEECH -> Units.CHARACTER;
            case AUDIO_TRANSCRIPTIONS, AUDIO_TRANSLATIONS -> Units.SECOND;
            case RERANK -> Units.SEARCH;
            case MODERATIONS -> Units.TOKEN;
        };
    }

    /**
     * The units as the request gives them: images asked for ({@code n}, default 1) of its size and
     * quality; the characters of the speech input; the seconds of the uploaded audio (estimated);
     * rerank searches (one per 100 documents, estimated); a moderation's input tokens (estimated).
     */
    private Units asked() {
        return switch (endpoint) {
            case IMAGES_GENERATIONS, IMAGES_EDITS, IMAGES_VARIATIONS -> new Units(Math.max(1, n()), Units.IMAGE,
                    imageDetail(), false);
            case AUDIO_SPEECH -> {
                String input = JsonTrees.string(root, "input");
                yield Units.of(input == null ? 0 : input.codePointCount(0, input.length()), Units.CHARACTER);
            }
            case AUDIO_TRANSCRIPTIONS, AUDIO_TRANSLATIONS -> {
                long seconds = 0;
                for (MultipartUpload.Part file : upload.files("file")) {
                    seconds += AudioLength.seconds(upload.head(file, AudioLength.HEADER_BYTES), file.size());
                }
                yield new Units(seconds, Units.SECOND, null, true);
            }
            case RERANK -> new Units((root.path("documents").size() + 99) / 100, Units.SEARCH, null, true);
            case MODERATIONS -> {
                long bytes = 0;
                for (String text : root.path("input").isArray() ? texts(root.path("input"))
                        : java.util.List.of(root.path("input").asString(""))) {
                    bytes += text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                }
                yield new Units((bytes + 3) / 4, Units.TOKEN, null, true);
            }
        };
    }

    private static java.util.List<String> texts(JsonNode array) {
        java.util.List<String> texts = new java.util.ArrayList<>();
        for (JsonNode item : array) {
            if (item.isString()) {
                texts.add(item.asString());
            } else if (item.path("text").isString()) {
                texts.add(item.path("text").asString());
            }
        }
        return texts;
    }

    /** The {@code n} asked for (a JSON field or a form field), 1 when not given. */
    private int n() {
        if (root != null) {
            JsonNode n = root.path("n");
            return n.isIntegralNumber() ? n.asInt() : 1;
        }
        try {
            return upload.text("n").map(String::strip).map(Integer::parseInt).orElse(1);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private String field(String name) {
        return root != null ? JsonTrees.string(root, name) : upload.text(name).map(String::strip).orElse(null);
    }

    /**
     * What refines an image's price: its size ({@code 1024x1024} when not given or {@code auto},
     * the size OpenAI draws then) and its quality when given, e.g. {@code "1024x1024 hd"}.
     */
    private String imageDetail() {
        String size = field("size");
        if (size == null || size.isBlank() || size.equals("auto")) {
            size = "1024x1024";
        }
        String quality = field("quality");
        return quality == null || quality.isBlank() ? size : size + " " + quality.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * What routing compares: the units the request asks for (images of its size and quality,
     * characters, seconds of audio, searches), for {@code cheapest} to price each channel by its
     * unit price; a moderation's estimated input tokens as its prompt.
     */
    @Override
    public Needs needs() {
        return asked.isTokens() ? new Needs(0, asked.count(), 0, null, 1, false, 0, asked) : Needs.billedBy(asked);
    }

    /**
     * The units the answer reported, where it does, else those the request gave; none when nothing
     * was delivered.
     */
    @Override
    public Units units(TokenUsage usage, boolean delivered) {
        if (!delivered) {
            return Units.none(asked.unit());
        }
        Units fromAnswer = answered;
        return fromAnswer != null ? fromAnswer : asked;
    }

    /** Reads what a usable JSON answer says it was billed by (images made, seconds, searches or tokens). */
    private void answeredWith(ObjectNode answer) {
        switch (endpoint) {
            case IMAGES_GENERATIONS, IMAGES_EDITS, IMAGES_VARIATIONS -> {
                if (answer.path("data").isArray()) {
                    answered = new Units(answer.path("data").size(), Units.IMAGE, asked.detail(), false);
                }
            }
            case AUDIO_TRANSCRIPTIONS, AUDIO_TRANSLATIONS -> {
                JsonNode usage = answer.path("usage");
                double seconds = "duration".equals(usage.path("type").asString(""))
                        ? usage.path("seconds").asDouble(-1) : answer.path("duration").asDouble(-1);
                if (seconds >= 0) {
                    answered = Units.of(Math.max(seconds > 0 ? 1 : 0, Math.round(seconds)), Units.SECOND);
                }
            }
            case RERANK -> {
                JsonNode billed = answer.at("/meta/billed_units");
                if (billed.path("search_units").isNumber()) {
                    answered = Units.of(billed.path("search_units").asLong(), Units.SEARCH);
                } else {
                    TokenUsage tokens = usage(answer);
                    if (tokens != null) {
                        answered = Units.tokens(tokens);
                    }
                }
            }
            default -> {
            }
        }
    }

    /**
     * Reads a JSON request.
     *
     * @throws GatewayException (400) when it is not JSON or lacks what the endpoint requires
     */
    public static MediaClientRequest json(MediaEndpoint endpoint, byte[] body,
            Function<ChannelType, ChannelCodec> codecs) {
        Objects.requireNonNull(codecs, "codecs");
        if (endpoint.multipart()) {
            throw new IllegalArgumentException(endpoint + " takes an upload");
        }
        ObjectNode root;
        try {
            root = JsonTrees.clientObject(body);
        } catch (MalformedAnswerException e) {
            throw GatewayException.invalidRequest("The body is not valid JSON: " + e.getMessage() + ".");
        }
        String model = JsonTrees.string(root, "model");
        if (model == null || model.isEmpty()) {
            throw GatewayException.invalidRequest("'model' is required.");
        }
        switch (endpoint) {
            case IMAGES_GENERATIONS -> requireText(root, "prompt");
            case AUDIO_SPEECH -> requireText(root, "input");
            case MODERATIONS -> {
                JsonNode input = root.path("input");
                if (!(input.isString() && !input.asString().isEmpty() || input.isArray() && !input.isEmpty())) {
                    throw GatewayException.invalidRequest("'input' is required: a string or a non-empty array.");
                }
            }
            case RERANK -> {
                requireText(root, "query");
                if (!root.path("documents").isArray() || root.path("documents").isEmpty()) {
                    throw GatewayException.invalidRequest("'documents' is required: a non-empty array.");
                }
            }
            default -> throw new IllegalArgumentException(endpoint.name());
        }
        boolean stream = root.path("stream").asBoolean(false)
                || endpoint == MediaEndpoint.AUDIO_SPEECH && "sse".equals(JsonTrees.string(root, "stream_format"));
        return new MediaClientRequest(endpoint, model, stream, body, root, null, codecs);
    }

    /**
     * A multipart upload, already spooled; the request owns it from here ({@link #close()} deletes it).
     *
     * @throws GatewayException (400) when it lacks the model or the file the endpoint requires
     */
    public static MediaClientRequest upload(MediaEndpoint endpoint, MultipartUpload upload,
            Function<ChannelType, ChannelCodec> codecs) {
        Objects.requireNonNull(codecs, "codecs");
        if (!endpoint.multipart()) {
            throw new IllegalArgumentException(endpoint + " takes JSON");
        }
        try {
            String model = upload.text("model").map(String::strip).orElse("");
            if (model.isEmpty()) {
                throw GatewayException.invalidRequest("'model' is required: a form field of the multipart body.");
            }
            switch (endpoint) {
                case IMAGES_EDITS -> {
                    requireFile(upload, "image", "image", "image[]");
                    if (upload.text("prompt").filter(p -> !p.isBlank()).isEmpty()) {
                        throw GatewayException.invalidRequest("'prompt' is required.");
                    }
                }
                case IMAGES_VARIATIONS -> requireFile(upload, "image", "image");
                default -> requireFile(upload, "file", "file");
            }
            boolean stream = upload.text("stream").map(s -> s.strip().equalsIgnoreCase("true")).orElse(false);
            return new MediaClientRequest(endpoint, model, stream, null, null, upload, codecs);
        } catch (RuntimeException e) {
            upload.close();
            throw e;
        }
    }

    private static void requireText(ObjectNode root, String field) {
        String value = JsonTrees.string(root, field);
        if (value == null || value.isEmpty()) {
            throw GatewayException.invalidRequest("'" + field + "' is required: a non-empty string.");
        }
    }

    private static void requireFile(MultipartUpload upload, String what, String... names) {
        if (upload.files(names).isEmpty()) {
            throw GatewayException.invalidRequest("'" + what + "' is required: a file part of the multipart body.");
        }
    }

    public MediaEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public boolean stream() {
        return stream;
    }

    @Override
    public EndpointRoute route(ChannelApi api) {
        if (api.type() == ChannelType.OPENAI) {
            return new EndpointRoute.Served(new OpenAiMedia());
        }
        if (endpoint == MediaEndpoint.IMAGES_GENERATIONS && !stream) {
            Optional<ImagesCodec> images = codecs.apply(api.type()).images();
            if (images.isPresent()) {
                return new EndpointRoute.Served(new TranslatedImages(images.get(), imagesRequest()));
            }
        }
        return new EndpointRoute.Missing(missing(api.type()));
    }

    private ImagesCodec.Request imagesRequest() {
        JsonNode n = root.path("n");
        return new ImagesCodec.Request(JsonTrees.string(root, "prompt"), n.isIntegralNumber() ? n.asInt() : 1,
                JsonTrees.string(root, "size"));
    }

    private String missing(ChannelType type) {
        return "The " + type.configName() + " channel type has no " + endpoint.path() + " endpoint"
                + (stream && endpoint == MediaEndpoint.IMAGES_GENERATIONS ? " with streaming" : "")
                + "; serve '" + model + "' from an openai channel"
                + (endpoint == MediaEndpoint.IMAGES_GENERATIONS ? " (or, without streaming, a gemini image model)" : "")
                + ".";
    }

    @Override
    public byte[] errorBody(ErrorKind kind, String message) {
        return OpenAiErrors.body(kind, message);
    }

    @Override
    public byte[] relayedError(int status, ProviderError error) {
        return OpenAiErrors.relayed(status, error.type(), error.message());
    }

    /** In-band only where the answer is an event stream; a binary answer that breaks is cut instead. */
    @Override
    public byte[] streamError(ErrorKind kind, String message) {
        return stream ? OpenAiErrors.streamEvent(kind, message) : new byte[0];
    }

    /** Deletes a spooled upload. */
    @Override
    public void close() {
        if (upload != null) {
            upload.close();
        }
    }

    /** The JSON body with the value of its top-level {@code model} replaced, every other byte as sent. */
    static byte[] withModel(byte[] body, String model) {
        try (JsonParser parser = JsonTrees.MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("not an object");
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("model") && value == JsonToken.VALUE_STRING) {
                    int start = (int) parser.currentTokenLocation().getByteOffset();
                    parser.getString();
                    int end = (int) parser.currentLocation().getByteOffset();
                    byte[] quoted = JsonTrees.MAPPER.writeValueAsBytes(model);
                    byte[] out = new byte[body.length - (end - start) + quoted.length];
                    System.arraycopy(body, 0, out, 0, start);
                    System.arraycopy(quoted, 0, out, start, quoted.length);
                    System.arraycopy(body, end, out, start + quoted.length, body.length - end);
                    return out;
                }
                parser.skipChildren();
            }
        }
        throw new IllegalStateException("no model in a request that was read with one");
    }

    /** Whether a {@code Content-Type} is JSON. */
    private static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json");
    }

    /** The tokens an answer reports: gpt-image, transcription (token-billed models), rerank. */
    static TokenUsage usage(ObjectNode answer) {
        JsonNode usage = answer.path("usage");
        if (usage.isObject()) {
            if (usage.has("input_tokens") || usage.has("output_tokens")) {
                return new TokenUsage(JsonTrees.count(usage, "input_tokens"), JsonTrees.count(usage, "output_tokens"),
                        0, 0, 0);
            }
            if (usage.has("prompt_tokens")) {
                return TokenUsage.ofInput(JsonTrees.count(usage, "prompt_tokens"));
            }
            if (usage.has("total_tokens")) {
                return TokenUsage.ofInput(JsonTrees.count(usage, "total_tokens"));
            }
        }
        JsonNode billed = answer.at("/meta/billed_units");
        if (billed.isObject() && billed.has("input_tokens")) {
            return new TokenUsage(JsonTrees.count(billed, "input_tokens"), JsonTrees.count(billed, "output_tokens"),
                    0, 0, 0);
        }
        return null;
    }

    /** To an OpenAI-style channel: the client's bytes with the upstream model. */
    private final class OpenAiMedia implements Route {

        @Override
        public ProviderCall call(String upstreamModel, String apiKey, ChannelQuirks quirks) {
            Map<String, String> headers = new HashMap<>();
            if (apiKey != null) {
                headers.put("Authorization", "Bearer " + apiKey);
            }
            if (upload != null) {
                MultipartUpload.Part part = upload.field("model").orElseThrow();
                return ProviderCall.upload(endpoint.path(), headers, upload.replacing(part, upstreamModel));
            }
            return new ProviderCall(endpoint.path(), headers, withModel(json, upstreamModel));
        }

        @Override
        public boolean relaysRaw(String contentType) {
            return switch (endpoint) {
                case AUDIO_SPEECH -> true;
                case AUDIO_TRANSCRIPTIONS, AUDIO_TRANSLATIONS -> stream || !isJson(contentType)
                        || upload.text("response_format").map(f -> TEXT_FORMATS.contains(f.strip())).orElse(false);
                default -> stream;
            };
        }

        @Override
        public Whole inspect(byte[] body) {
            ObjectNode answer;
            try {
                answer = JsonTrees.object(body);
            } catch (MalformedAnswerException e) {
                return Whole.problem(Problem.NOT_JSON);
            }
            if (answer.has("error") && !answer.has(endpoint.answerField())) {
                return Whole.problem(Problem.notAnAnswer("an error object instead of the answer"));
            }
            answeredWith(answer);
            return Whole.answer(usage(answer));
        }
    }

    /** Images drawn by another provider, answered in OpenAI's shape. */
    private final class TranslatedImages implements Route {
        private final ImagesCodec codec;
        private final ImagesCodec.Request request;

        TranslatedImages(ImagesCodec codec, ImagesCodec.Request request) {
            this.codec = codec;
            this.request = request;
        }

        @Override
        public ProviderCall call(String upstreamModel, String apiKey, ChannelQuirks quirks) {
            return codec.call(request, upstreamModel, apiKey);
        }

        @Override
        public boolean verbatimErrors() {
            return false;
        }

        @Override
        public Whole inspect(byte[] body) {
            ObjectNode answer;
            try {
                answer = JsonTrees.object(body);
            } catch (MalformedAnswerException e) {
                return Whole.problem(Problem.NOT_JSON);
            }
            ImagesCodec.Generated generated;
            try {
                generated = codec.decode(request, answer);
            } catch (MalformedAnswerException e) {
                return Whole.problem(Problem.notAnAnswer(e.getMessage()));
            }
            boolean url = "url".equals(JsonTrees.string(root, "response_format"));
            ObjectNode out = JsonTrees.MAPPER.createObjectNode().put("created", System.currentTimeMillis() / 1000);
            var data = out.putArray("data");
            for (ImagesCodec.Image image : generated.images()) {
                if (url) {
                    data.addObject().put("url", "data:" + image.mimeType() + ";base64," + image.base64());
                } else {
                    data.addObject().put("b64_json", image.base64());
                }
            }
            answered = new Units(generated.images().size(), Units.IMAGE, asked.detail(), false);
            TokenUsage tokens = generated.usage();
            out.putObject("usage").put("input_tokens", tokens.input()).put("output_tokens", tokens.output())
                    .put("total_tokens", tokens.input() + tokens.output());
            return new Whole(tokens, null, JsonTrees.bytes(out));
        }
    }
}
