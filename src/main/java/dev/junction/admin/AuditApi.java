package dev.junction.admin;

import dev.junction.governance.Action;
import dev.junction.governance.Target;
import dev.junction.store.AuditStore;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** {@code GET /api/audit}: the audit log, newest first, paged with {@code before} (an entry id) and {@code limit}. */
final class AuditApi {

    private static final int MAX_LIMIT = 500;

    private final AuditStore store;

    AuditApi(AuditStore store) {
        this.store = store;
    }

    List<Route> routes() {
        return List.of(Route.of("GET", "/api/audit", this::list));
    }

    private Reply list(Call call) {
        call.require(Action.READ, new Target.Whole(Target.Area.AUDIT));
        int limit = (int) number(call, "limit", 100, 1, MAX_LIMIT);
        long before = number(call, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
        var array = Json.array();
        List<AuditStore.Entry> entries = store.list(limit, before);
        entries.forEach(e -> array.add(Views.audit(e)));
        ObjectNode node = Json.object();
        node.set("data", array);
        if (entries.size() == limit) {
            node.put("next_before", entries.getLast().id());
        } else {
            node.putNull("next_before");
        }
        return Reply.ok(node);
    }

    private static long number(Call call, String name, long fallback, long min, long max) {
        String text = call.query(name).orElse(null);
        if (text == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // Reported below.
        }
        throw ApiException.invalid(name, "must be a whole number from " + min + " to " + max);
    }
}
