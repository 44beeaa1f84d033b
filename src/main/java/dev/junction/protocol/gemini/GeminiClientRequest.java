package dev.junction.protocol.gemini;

import dev.junction.core.ChannelApi;
import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import dev.junction.core.ErrorKind;
import dev.junction.core.Needs;
import dev.junction.protocol.NeedsScan;
import dev.junction.core.GatewayException;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.protocol.ClientJson;
import dev.junction.protocol.ClientStream;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.MalformedAnswerException;
import dev.junction.protocol.PassThrough;
import dev.junction.protocol.ProviderError;
import dev.junction.protocol.TranslatableRequest;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Gemini API {@code generateContent} or {@code streamGenerateContent?alt=sse} request (the model
 * is in the path, not the body), servable by any channel type: byte for byte to gemini channels,
 * through the canonical model to every other, with answers and errors in Gemini's shapes.
 */
public final class GeminiClientRequest implements TranslatableRequest {

    private static final String COUNT_TOKENS = "countTokens";
    private static final byte[] BLANK_LINE = {'\n'};

    private final String model;
    private final String method;
    private final boolean stream;
    private final byte[] body;
    private final ObjectNode root;

    private GeminiClientRequest(String model, String method, boolean stream, byte[] body, ObjectNode root) {
        this.model = model;
        this.method = method;
        this.stream = stream;
        this.body = body;
        this.root = root;
    }

    /**
     * Reads a request body.
     *
     * @param model the public model from the path ({@code models/} prefix removed)
     * @param stream whether the method was {@code streamGenerateContent}
     * @throws GatewayException (400) when the body is not a JSON object with contents
     */
    public static GeminiClientRequest parse(String model, boolean stream, byte[] body) {
        Objects.requireNonNull(model, "model");
        ObjectNode root = object(body);
        if (!root.path("contents").isArray() || root.path("contents").isEmpty()) {
            throw GatewayException.invalidRequest("* GenerateContentRequest.contents: contents is not specified");
        }
        return new GeminiClientRequest(model, stream ? "streamGenerateContent" : "generateContent", stream, body,
                root);
    }

    /**
     * A {@code countTokens} request, which only a gemini channel can answer exactly; the
     * {@linkplain #estimateTokens local estimate} serves the others.
     *
     * @throws GatewayException (400) when the body is not a JSON object
     */
    public static GeminiClientRequest countTokens(String model, byte[] body) {
        Objects.requireNonNull(model, "model");
        return new GeminiClientRequest(model, COUNT_TOKENS, false, body, object(body));
    }

    private static ObjectNode object(byte[] body) {
        try {
            ClientJson.requireWellFormedText(body);
            return JsonTrees.clientObject(body);
        } catch (MalformedAnswerException e) {
            throw GatewayException.invalidRequest("Invalid JSON payload received: " + e.getMessage() + ".");
        }
    }

    /**
     * A local token count of the request: its text and function calls and responses counted with
     * the gateway's tokenizer ({@link dev.junction.protocol.Tokens}, {@code o200k_base}), and a
     * flat 258 per image or file, as Gemini counts media; answered as {@code {"totalTokens": n}}.
     */
    public byte[] estimateTokens() {
        long[] tokens = {0};
        root.findValues("text").forEach(t -> tokens[0] += dev.junction.protocol.Tokens.count(t.asString("")));
        long media = root.findValues("inlineData").size() + root.findValues("fileData").size();
        root.findValues("functionCall").forEach(c -> tokens[0] += dev.junction.protocol.Tokens.count(JsonTrees.text(c)));
        root.findValues("functionResponse").forEach(r ->
                tokens[0] += dev.junction.protocol.Tokens.count(JsonTrees.text(r)));
        tokens[0] += 258 * media;
        return JsonTrees.bytes(JsonTrees.MAPPER.createObjectNode().put("totalTokens", tokens[0]));
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
    public Optional<PassThrough> passThrough(ChannelApi api) {
        return api.type() == ChannelType.GEMINI ? Optional.of(
                new GeminiPassThrough(body, method, stream, includeThoughts()))
                : Optional.empty();
    }

    @Override
    public CanonicalRequest canonical(ChannelQuirks quirks) {
        if (method.equals(COUNT_TOKENS)) {
            throw GatewayException.invalidRequest("countTokens is forwarded only to gemini channels.");
        }
        return GenerateContentRequestDecoder.decode(root, stream);
    }

    @Override
    public byte[] encode(CanonicalResponse response, long createdEpochSeconds) {
        return GenerateContentResponseEncoder.encode(response, includeThoughts());
    }

    @Override
    public ClientStream streamEncoder(String fallbackId, String model, long createdEpochSeconds) {
        return new GenerateContentStreamEncoder(fallbackId, model, includeThoughts());
    }

    @Override
    public Needs needs() {
        return NeedsScan.of(body);
    }

    @Override
    public byte[] errorBody(ErrorKind kind, String message) {
        return GeminiErrors.body(kind, message);
    }

    @Override
    public byte[] relayedError(int status, ProviderError error) {
        return GeminiErrors.relayed(status, error);
    }

    @Override
    public byte[] streamError(ErrorKind kind, String message) {
        return GeminiErrors.streamEvent(message);
    }

    /**
     * A blank line: the @google/genai JS SDK (inside Gemini CLI) reads its stream with
     * {@code /^\s*data: (.*)\n\n/} against the start of what it has buffered, so an SSE comment
     * (Google sends none) stops it from reading anything after it, and the stream then ends in
     * "Incomplete JSON segment at the end". Leading whitespace it skips, as SSE parsers skip a
     * blank line.
     */
    @Override
    public byte[] keepAlive(byte[] comment) {
        return BLANK_LINE;
    }

    private boolean includeThoughts() {
        return GenerateContentRequestDecoder.includeThoughts(root);
    }
}
