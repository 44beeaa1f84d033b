package dev.junction.protocol.responses;

import dev.junction.core.canonical.FinishReason;
import dev.junction.protocol.JsonTrees;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How far a Responses stream's output has got, for a stream that breaks after its output is done
 * but before {@code response.completed}: the Responses API has no finish event of its own, so the
 * answer counts as finished when every output item begun is done and the last one done is not a
 * reasoning item (reasoning is always followed by what it reasons about). An item the provider
 * would have begun after such a break cannot be known; that is the limit of this rule.
 *
 * <p>The done items are kept (references to the events read, up to {@value #MAX_BYTES} bytes) so
 * that the pass-through can write the {@code response.completed} the provider did not send.
 */
final class OutputDone {

    /** Past this much item data the items are not kept (and no completion can be written). */
    static final long MAX_BYTES = 16L << 20;

    private int open;
    private int done;
    private String lastDone;
    private List<byte[]> items;
    private long bytes;
    private String id;
    private String model;
    private long created;

    /** @param keepItems whether to keep the done items, to {@linkplain #completion write the completion} */
    OutputDone(boolean keepItems) {
        this.items = keepItems ? new ArrayList<>() : null;
    }

    /** A {@code response.created} or {@code response.in_progress} event's response object. */
    void response(JsonNode response) {
        id = JsonTrees.string(response, "id") != null ? JsonTrees.string(response, "id") : id;
        model = JsonTrees.string(response, "model") != null ? JsonTrees.string(response, "model") : model;
        created = response.path("created_at").asLong(created);
    }

    void added() {
        open++;
    }

    /** A {@code response.output_item.done} event: its data and its item's type. */
    void done(byte[] data, String type) {
        open = Math.max(0, open - 1);
        done++;
        lastDone = type;
        if (items != null) {
            bytes += data.length;
            if (bytes > MAX_BYTES) {
                items = null;
            } else {
                items.add(data);
            }
        }
    }

    /** Whether the output is finished: every item begun done, the last not reasoning. */
    boolean finished() {
        return open == 0 && done > 0 && !"reasoning".equals(lastDone);
    }

    /** Whether {@link #completion} can write the end: finished, with the response's id and every item kept. */
    boolean canComplete() {
        return finished() && items != null && id != null;
    }

    /**
     * The {@code response.completed} event the provider did not send: its items as they were done,
     * no usage (the provider reported none; the gateway's record estimates it).
     */
    ObjectNode completion(ResponsesOutput output, String fallbackModel) {
        ArrayNode doneItems = JsonTrees.MAPPER.createArrayNode();
        for (byte[] data : items) {
            doneItems.add(JsonTrees.object(data).path("item"));
        }
        return new ResponsesOutput(id, output.tools(), output.echo()).response(model != null ? model : fallbackModel,
                created, "completed", doneItems, FinishReason.STOP, null);
    }
}
