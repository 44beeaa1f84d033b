package dev.junction.protocol.gemini;

import dev.junction.protocol.JsonTrees;
import java.util.Collection;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The {@code GET /v1beta/models} answers in Gemini's shape. */
public final class GeminiModels {

    private GeminiModels() {
    }

    /** {@code {"models":[…]}}. */
    public static byte[] list(Collection<String> modelIds) {
        ObjectNode root = JsonTrees.MAPPER.createObjectNode();
        ArrayNode models = root.putArray("models");
        modelIds.forEach(id -> models.add(model(id)));
        return JsonTrees.bytes(root);
    }

    /** One model. */
    public static byte[] one(String modelId) {
        return JsonTrees.bytes(model(modelId));
    }

    private static ObjectNode model(String id) {
        ObjectNode model = JsonTrees.MAPPER.createObjectNode();
        model.put("name", "models/" + id);
        model.put("displayName", id);
        model.put("description", "Served by Junction.");
        model.putArray("supportedGenerationMethods").add("generateContent").add("streamGenerateContent")
                .add("countTokens").add("embedContent").add("batchEmbedContents");
        return model;
    }
}
