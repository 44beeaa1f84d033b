package dev.junction.protocol.openai;

import dev.junction.core.ChannelQuirks;
import dev.junction.protocol.JsonTrees;
import java.util.HashSet;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/** Applies a channel's {@link ChannelQuirks} to a request tree (the translated path). */
final class Quirks {

    private Quirks() {
    }

    static void apply(ObjectNode root, ChannelQuirks quirks) {
        if (!quirks.editsBody()) {
            return;
        }
        quirks.dropParams().forEach(root::remove);
        if (!quirks.streamOptions()) {
            root.remove("stream_options");
        }
        Set<String> remaining = new HashSet<>(root.propertyNames());
        quirks.defaults().forEach((name, value) -> {
            if (quirks.defaultApplies(name, remaining)) {
                root.set(name, JsonTrees.MAPPER.valueToTree(value));
            }
        });
    }
}
