package dev.junction.protocol.anthropic;

import dev.junction.core.GatewayException;
import dev.junction.protocol.ClientJson;
import dev.junction.protocol.JsonTrees;
import java.io.ByteArrayOutputStream;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * A Messages API body as the pass-through path sees it: the client's bytes plus the facts routing
 * needs, found by one streaming scan without binding. Only the {@code model} value is ever
 * rewritten, so unknown fields ({@code context_management}, {@code output_config}, betas not yet
 * invented) reach an Anthropic upstream byte for byte.
 *
 * @param modelStart where the {@code model} value starts
 * @param modelEnd where it ends (exclusive)
 */
record MessagesBody(byte[] body, String model, boolean stream, int modelStart, int modelEnd) {

    /**
     * Scans a body. 400 for malformed JSON (a key twice in one object included), a missing or empty {@code model}, a missing
     * {@code messages} array, and (for {@code /v1/messages}) a missing {@code max_tokens}, as
     * Anthropic itself refuses them.
     */
    static MessagesBody parse(byte[] body, boolean requireMaxTokens) {
        Objects.requireNonNull(body, "body");
        ClientJson.requireUtf8(body);
        String model = null;
        boolean stream = false;
        boolean messages = false;
        boolean maxTokens = false;
        int modelStart = -1;
        int modelEnd = -1;
        try (JsonParser p = JsonTrees.clientParser(body, 0, body.length)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw GatewayException.invalidRequest(first == null ? "The request body is empty; send a JSON object."
                        : "The request body must be a JSON object.");
            }
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken value = p.nextToken();
                switch (name) {
                    case "model" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw GatewayException.invalidRequest("model: Input should be a valid string");
                        }
                        modelStart = (int) p.currentTokenLocation().getByteOffset();
                        model = p.getString();
                        modelEnd = (int) p.currentLocation().getByteOffset();
                    }
                    case "stream" -> stream = value == JsonToken.VALUE_TRUE;
                    case "messages" -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw GatewayException.invalidRequest("messages: Input should be a valid list");
                        }
                        p.skipChildren();
                        messages = true;
                    }
                    case "max_tokens" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT) {
                            throw GatewayException.invalidRequest("max_tokens: Input should be a valid integer");
                        }
                        maxTokens = true;
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw GatewayException.invalidRequest("The request body has data after the JSON object.");
            }
        } catch (JacksonException e) {
            throw GatewayException.invalidRequest("The request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (model == null || model.isBlank()) {
            throw GatewayException.invalidRequest("model: Field required");
        }
        if (!messages) {
            throw GatewayException.invalidRequest("messages: Field required");
        }
        if (requireMaxTokens && !maxTokens) {
            throw GatewayException.invalidRequest("max_tokens: Field required");
        }
        return new MessagesBody(body, model, stream, modelStart, modelEnd);
    }

    /** The body with only the {@code model} value replaced; every other byte is the client's. */
    byte[] withModel(String upstreamModel) {
        byte[] model = JsonTrees.MAPPER.writeValueAsBytes(upstreamModel);
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + model.length);
        out.write(body, 0, modelStart);
        out.writeBytes(model);
        out.write(body, modelEnd, body.length - modelEnd);
        return out.toByteArray();
    }
}
