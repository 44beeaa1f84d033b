package dev.junction.protocol.anthropic;

import dev.junction.protocol.JsonTrees;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /v1/models} (and {@code /v1/models/{id}}) in Anthropic's shapes, for clients that send
 * {@code anthropic-version}.
 */
public final class AnthropicModels {

    private AnthropicModels() {
    }

    public static byte[] list(Collection<String> modelIds, long createdEpochSeconds) {
        List<String> ids = List.copyOf(modelIds);
        ObjectNode root = JsonTrees.MAPPER.createObjectNode();
        ArrayNode data = root.putArray("data");
        String created = Instant.ofEpochSecond(createdEpochSeconds).toString();
        for (String id : ids) {
            fill(data.addObject(), id, created);
        }
        root.put("has_more", false);
        root.put("first_id", ids.isEmpty() ? null : ids.getFirst());
        root.put("last_id", ids.isEmpty() ? null : ids.getLast());
        return JsonTrees.bytes(root);
    }

    /** One model, as {@code GET /v1/models/{id}} answers it. */
    public static byte[] one(String modelId, long createdEpochSeconds) {
        return JsonTrees.bytes(fill(JsonTrees.MAPPER.createObjectNode(), modelId,
                Instant.ofEpochSecond(createdEpochSeconds).toString()));
    }

    private static ObjectNode fill(ObjectNode model, String id, String created) {
        return model.put("type", "model").put("id", id).put("display_name", id).put("created_at", created);
    }
}
