package dev.junction.protocol.responses;

import dev.junction.core.GatewayException;
import dev.junction.protocol.ClientJson;
import dev.junction.protocol.JsonTrees;
import java.io.ByteArrayOutputStream;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@code POST /v1/responses} body: the client's bytes (for the pass-through, where only the
 * model value is spliced), the parsed tree (for translation), and where the {@code model} value
 * sits in the bytes.
 */
record ResponsesRequest(byte[] body, ObjectNode root, String model, boolean stream, int modelStart, int modelEnd) {

    /**
     * Reads a body. Throws {@link GatewayException} (400) for malformed JSON (a key twice in one
     * object included), a missing model or a
     * missing or malformed {@code input}.
     */
    static ResponsesRequest parse(byte[] body) {
        Objects.requireNonNull(body, "body");
        if (body.length == 0) {
            throw GatewayException.invalidRequest("The request body is empty; send a JSON object.");
        }
        ClientJson.requireUtf8(body);
        ClientJson.requireWellFormedText(body);
        ObjectNode root;
        int modelStart = -1;
        int modelEnd = -1;
        try {
            if (!(JsonTrees.CLIENT_MAPPER.readTree(body) instanceof ObjectNode object)) {
                throw GatewayException.invalidRequest("The request body must be a JSON object.");
            }
            root = object;
            try (JsonParser p = JsonTrees.MAPPER.createParser(body)) {
                p.nextToken();
                String name;
                while ((name = p.nextName()) != null) {
                    JsonToken value = p.nextToken();
                    if (name.equals("model") && value == JsonToken.VALUE_STRING) {
                        modelStart = (int) p.currentTokenLocation().getByteOffset();
                        p.finishToken();
                        modelEnd = (int) p.currentLocation().getByteOffset();
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (JacksonException e) {
            throw GatewayException.invalidRequest("The request body is not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode model = root.get("model");
        if (model == null || model.isNull()) {
            throw GatewayException.invalidRequest("The request has no 'model'; say which model to use.");
        }
        if (!model.isString() || model.stringValue().isBlank() || modelStart < 0) {
            throw GatewayException.invalidRequest("'model' must be a non-empty string.");
        }
        JsonNode input = root.get("input");
        if (input == null || input.isNull()) {
            throw GatewayException.invalidRequest("The request has no 'input'; send a string or a list of items.");
        }
        if (!input.isString() && !input.isArray()) {
            throw GatewayException.invalidRequest("'input' must be a string or an array of items.");
        }
        JsonNode previous = root.get("previous_response_id");
        if (previous != null && !previous.isNull() && !previous.isString()) {
            throw GatewayException.invalidRequest("'previous_response_id' must be a string.");
        }
        return new ResponsesRequest(body, root, model.stringValue(), root.path("stream").asBoolean(false),
                modelStart, modelEnd);
    }

    /** The {@code previous_response_id}, or null. */
    String previousResponseId() {
        return JsonTrees.string(root, "previous_response_id");
    }

    /** Whether the client lets the answer be stored ({@code store} defaults to true, as at OpenAI). */
    boolean store() {
        return root.path("store").asBoolean(true);
    }

    /** The client's bytes with only the model value replaced. */
    byte[] withModel(String upstreamModel) {
        byte[] value = JsonTrees.MAPPER.writeValueAsBytes(upstreamModel);
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + value.length);
        out.write(body, 0, modelStart);
        out.writeBytes(value);
        out.write(body, modelEnd, body.length - modelEnd);
        return out.toByteArray();
    }
}
