package dev.junction.protocol.openai;

import java.util.Collection;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The {@code GET /v1/models} answer in OpenAI's list shape, and {@code GET /v1/models/{id}}'s model object. */
public final class OpenAiModels {

    private OpenAiModels() {
    }

    public static byte[] list(Collection<String> modelIds, long createdEpochSeconds) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (String id : modelIds) {
            fill(data.addObject(), id, createdEpochSeconds);
        }
        return Json.MAPPER.writeValueAsBytes(root);
    }

    /** One model, as {@code GET /v1/models/{id}} answers it. */
    public static byte[] one(String modelId, long createdEpochSeconds) {
        return Json.MAPPER.writeValueAsBytes(fill(Json.MAPPER.createObjectNode(), modelId, createdEpochSeconds));
    }

    private static ObjectNode fill(ObjectNode model, String id, long createdEpochSeconds) {
        model.put("id", id);
        model.put("object", "model");
        model.put("created", createdEpochSeconds);
        model.put("owned_by", "junction");
        return model;
    }
}
