package dev.junction.protocol.openai;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.GatewayException;
import dev.junction.protocol.ClientJson;
import dev.junction.protocol.JsonTrees;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@code /v1/chat/completions} body as the pass-through path sees it: the original bytes plus
 * the few facts routing needs, found by one streaming scan without binding the body to objects.
 * Unknown fields are never touched, so they reach the upstream byte for byte.
 *
 * @param body the client's bytes
 * @param model the {@code model} value
 * @param stream whether {@code stream} is true
 * @param clientWantsUsage whether the client set {@code stream_options.include_usage}
 * @param usesTools whether the request declares tools
 */
public record ChatRequest(byte[] body, String model, boolean stream, boolean clientWantsUsage, boolean usesTools,
        Span modelSpan, Span streamOptionsSpan, int closingBrace) {

    /** A byte range {@code [start, end)} of the body. */
    record Span(int start, int end) {
    }

    /**
     * Scans a client body. Throws {@link GatewayException} (400) for malformed JSON (a key twice in
     * one object included, at any depth), a missing or non-string {@code model}, or missing or empty
     * {@code messages}.
     */
    public static ChatRequest parse(byte[] body) {
        Objects.requireNonNull(body, "body");
        ClientJson.requireUtf8(body);
        String model = null;
        boolean stream = false;
        boolean wantsUsage = false;
        boolean hasMessages = false;
        boolean usesTools = false;
        Span modelSpan = null;
        Span streamOptions = null;
        int closingBrace;
        try (JsonParser p = JsonTrees.clientParser(body, 0, body.length)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw GatewayException.invalidRequest("The request body is empty; send a JSON object.");
            }
            if (first != JsonToken.START_OBJECT) {
                throw GatewayException.invalidRequest("The request body must be a JSON object.");
            }
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken value = p.nextToken();
                switch (name) {
                    case "model" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw GatewayException.invalidRequest("'model' must be a string.");
                        }
                        int start = (int) p.currentTokenLocation().getByteOffset();
                        model = p.getString();
                        modelSpan = new Span(start, (int) p.currentLocation().getByteOffset());
                    }
                    case "stream" -> stream = value == JsonToken.VALUE_TRUE;
                    case "stream_options" -> {
                        int start = (int) p.currentTokenLocation().getByteOffset();
                        if (value == JsonToken.START_OBJECT) {
                            wantsUsage = includeUsage(p);
                        } else if (value != JsonToken.VALUE_NULL) {
                            throw GatewayException.invalidRequest("'stream_options' must be an object.");
                        }
                        streamOptions = new Span(start, (int) p.currentLocation().getByteOffset());
                    }
                    case "messages" -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw GatewayException.invalidRequest("'messages' must be an array.");
                        }
                        hasMessages = Json.countItems(p) > 0;
                    }
                    case "tools" -> {
                        usesTools = value == JsonToken.START_ARRAY ? Json.countItems(p) > 0 : skip(p);
                    }
                    default -> p.skipChildren();
                }
            }
            closingBrace = (int) p.currentTokenLocation().getByteOffset();
            if (p.nextToken() != null) {
                throw GatewayException.invalidRequest("The request body has data after the JSON object.");
            }
        } catch (JacksonException e) {
            throw GatewayException.invalidRequest("The request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (model == null) {
            throw GatewayException.invalidRequest("The request has no 'model'; say which model to use.");
        }
        if (model.isBlank()) {
            throw GatewayException.invalidRequest("'model' must not be empty.");
        }
        if (!hasMessages) {
            throw GatewayException.invalidRequest("The request has no 'messages'; send at least one message.");
        }
        return new ChatRequest(body, model, stream, wantsUsage, usesTools, modelSpan, streamOptions, closingBrace);
    }

    private static boolean skip(JsonParser p) {
        p.skipChildren();
        return false;
    }

    private static boolean includeUsage(JsonParser p) {
        boolean include = false;
        String field;
        while ((field = p.nextName()) != null) {
            JsonToken token = p.nextToken();
            if (field.equals("include_usage")) {
                include = token == JsonToken.VALUE_TRUE;
            } else {
                p.skipChildren();
            }
        }
        return include;
    }

    /**
     * The body for the upstream: {@code model} replaced, and for streams
     * {@code stream_options.include_usage} switched on so the gateway can count tokens. Every
     * other byte is the client's, copied once into an array of the exact size.
     */
    public byte[] forUpstream(String upstreamModel, boolean requestUsage) {
        byte[] model = Json.MAPPER.writeValueAsBytes(upstreamModel);
        if (!(stream && requestUsage && !clientWantsUsage)) {
            return splice(modelSpan, model, null, null);
        }
        // stream_options present: rewrite it; absent: add the field just before the closing brace.
        Span usageSpan = streamOptionsSpan != null ? streamOptionsSpan : new Span(closingBrace, closingBrace);
        byte[] usage = streamOptionsSpan != null ? withUsage(streamOptionsSpan) : INCLUDE_USAGE_FIELD;
        return usageSpan.start() < modelSpan.start()
                ? splice(usageSpan, usage, modelSpan, model)
                : splice(modelSpan, model, usageSpan, usage);
    }

    private static final byte[] INCLUDE_USAGE_FIELD =
            ",\"stream_options\":{\"include_usage\":true}".getBytes(StandardCharsets.US_ASCII);

    /** The body with {@code first} (and then {@code second}, if any, which comes after it) replaced. */
    private byte[] splice(Span first, byte[] firstBytes, Span second, byte[] secondBytes) {
        int length = body.length - (first.end() - first.start()) + firstBytes.length
                + (second == null ? 0 : secondBytes.length - (second.end() - second.start()));
        byte[] out = new byte[length];
        int at = copy(out, 0, 0, first.start());
        at = put(out, at, firstBytes);
        if (second != null) {
            at = copy(out, at, first.end(), second.start());
            at = put(out, at, secondBytes);
            copy(out, at, second.end(), body.length);
        } else {
            copy(out, at, first.end(), body.length);
        }
        return out;
    }

    private int copy(byte[] out, int at, int from, int to) {
        System.arraycopy(body, from, out, at, to - from);
        return at + to - from;
    }

    private static int put(byte[] out, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }

    /**
     * The body for an upstream with quirks: as {@link #forUpstream(String, boolean)}, and also
     * the channel's {@code drop_params} removed, its {@code defaults} added where the client sent
     * no value, and {@code stream_options} neither injected nor forwarded when the channel says
     * the provider rejects it. Only top-level fields are touched: each kept field's bytes are
     * copied as the client sent them.
     */
    public byte[] forUpstream(String upstreamModel, ChannelQuirks quirks) {
        if (!quirks.editsBody()) {
            return forUpstream(upstreamModel, true);
        }
        boolean injectUsage = stream && quirks.streamOptions() && !clientWantsUsage;
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64);
        Set<String> remaining = new HashSet<>();
        out.write('{');
        for (Field field : topLevelFields()) {
            if (quirks.dropParams().contains(field.name())
                    || field.name().equals("stream_options") && !quirks.streamOptions()) {
                continue;
            }
            separate(out, remaining);
            remaining.add(field.name());
            switch (field.name()) {
                case "model" -> property(out, "model", Json.MAPPER.writeValueAsBytes(upstreamModel));
                case "stream_options" -> property(out, "stream_options",
                        injectUsage ? withUsage(field.value()) : slice(field.value()));
                default -> copy(out, field.start(), field.value().end());
            }
        }
        for (var entry : quirks.defaults().entrySet()) {
            if (quirks.defaultApplies(entry.getKey(), remaining)) {
                separate(out, remaining);
                remaining.add(entry.getKey());
                property(out, entry.getKey(), Json.MAPPER.writeValueAsBytes(entry.getValue()));
            }
        }
        if (injectUsage && !remaining.contains("stream_options")) {
            separate(out, remaining);
            property(out, "stream_options", "{\"include_usage\":true}".getBytes(StandardCharsets.US_ASCII));
        }
        out.write('}');
        return out.toByteArray();
    }

    /** A top-level field: where its name starts, and its value's span. */
    private record Field(String name, int start, Span value) {
    }

    private List<Field> topLevelFields() {
        List<Field> fields = new ArrayList<>();
        try (JsonParser p = Json.parser(body, 0, body.length)) {
            p.nextToken();
            String name;
            while ((name = p.nextName()) != null) {
                int start = (int) p.currentTokenLocation().getByteOffset();
                p.nextToken();
                int valueStart = (int) p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                p.finishToken(); // a string value is read lazily; its end is known once finished
                fields.add(new Field(name, start, new Span(valueStart, (int) p.currentLocation().getByteOffset())));
            }
        } catch (JacksonException e) {
            // What parse skipped is read here for the first time: a string with bytes that are not
            // UTF-8 is found now, and refused as the client's error.
            throw GatewayException.invalidRequest("The request body is not valid JSON: " + e.getOriginalMessage());
        }
        return fields;
    }

    private static void separate(ByteArrayOutputStream out, Set<String> written) {
        if (!written.isEmpty()) {
            out.write(',');
        }
    }

    private static void property(ByteArrayOutputStream out, String name, byte[] value) {
        out.writeBytes(Json.MAPPER.writeValueAsBytes(name));
        out.write(':');
        out.writeBytes(value);
    }

    private byte[] slice(Span span) {
        return Arrays.copyOfRange(body, span.start(), span.end());
    }

    private int copy(ByteArrayOutputStream out, int from, int to) {
        out.write(body, from, to - from);
        return to;
    }

    private byte[] withUsage(Span span) {
        ObjectNode options;
        if (Json.MAPPER.readTree(body, span.start(), span.end() - span.start()) instanceof ObjectNode existing) {
            options = existing;
        } else {
            options = Json.MAPPER.createObjectNode();
        }
        options.put("include_usage", true);
        return Json.MAPPER.writeValueAsBytes(options);
    }
}
