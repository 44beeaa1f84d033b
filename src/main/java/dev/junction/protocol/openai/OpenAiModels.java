package dev.junction.protocol.openai;

import java.util.Collection;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The {@code GET /v1/models} answer in OpenAI's list shape. */
public final class OpenAiModels {

    private OpenAiModels() {
    }

    public static byte[] list(Collection<String> modelIds, long createdEpochSeconds) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (String id : modelIds) {
            ObjectNode model = data.addObject();
            model.put("id", id);
            model.put("object", "model");
            model.put("created", createdEpochSeconds);
            model.put("owned_by", "junction");
        }
        return Json.MAPPER.writeValueAsBytes(root);
    }
}
