package dev.junction.admin;

import dev.junction.governance.Action;
import dev.junction.governance.Target;
import dev.junction.store.ConfigVersions;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /api/reload} (owners and admins): reads the config file again, exactly as SIGHUP
 * does; an invalid file is refused with its line-numbered problems and the running config stays.
 * {@code GET /api/versions}: the routing-config versions, newest first, each with who, when and
 * what changed since its predecessor (a diff without secrets); with {@code from}/{@code to}, those
 * made in that time range (the markers of the dashboard's time charts).
 */
final class ConfigApi {

    private static final Target SETTINGS = new Target.Whole(Target.Area.SETTINGS);
    private static final int MAX_LIMIT = 200;

    private final LiveConfig live;
    private final Auditor audit;

    ConfigApi(LiveConfig live, Auditor audit) {
        this.live = live;
        this.audit = audit;
    }

    List<Route> routes() {
        return List.of(
                Route.of("POST", "/api/reload", this::reload),
                Route.of("GET", "/api/versions", this::versions));
    }

    private Reply reload(Call call) {
        call.require(Action.UPDATE, SETTINGS);
        call.body(Set.of());
        long before = live.version();
        LiveConfig.Reload reload = live.reload(call.caller().display());
        ObjectNode outcome = Json.object();
        outcome.put("ok", reload.ok());
        outcome.put("version_before", before);
        outcome.put("version", reload.version());
        outcome.set("problems", ConfigViews.strings(reload.problems()));
        outcome.set("restart_needed", ConfigViews.strings(reload.restartNeeded()));
        audit.record(call, reload.ok() ? "config.reload" : "config.reload_refused", "config", null, outcome);
        if (!reload.ok()) {
            throw ApiException.invalidFile(reload.problems());
        }
        return Reply.ok(outcome);
    }

    private Reply versions(Call call) {
        call.require(Action.READ, SETTINGS);
        int limit = call.query("limit").map(ConfigApi::number).orElse(50L).intValue();
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalid("limit", "must be 1 to " + MAX_LIMIT);
        }
        long before = call.query("before").map(ConfigApi::number).orElse(0L);
        java.util.Optional<Long> from = call.query("from").map(t -> time("from", t));
        java.util.Optional<Long> to = call.query("to").map(t -> time("to", t));
        List<ConfigVersions.Version> versions;
        if (from.isPresent() || to.isPresent()) {
            long start = from.orElse(0L);
            long end = to.orElse(Long.MAX_VALUE);
            if (start >= end) {
                throw ApiException.invalid("from", "must be before to");
            }
            versions = live.versions().between(start, end, limit).reversed();
        } else {
            versions = live.versions().list(limit, before);
        }
        var array = Json.array();
        for (ConfigVersions.Version version : versions) {
            ObjectNode node = array.addObject();
            node.put("version", version.number());
            if (version.number() > 1) {
                node.put("previous", version.number() - 1);
            } else {
                node.putNull("previous");
            }
            node.put("at", Json.time(version.atMillis()));
            node.put("actor", version.actor());
            node.put("source", version.source());
            node.put("summary", version.summary());
            node.set("diff", Json.parse(version.diff()));
        }
        ObjectNode node = Json.object();
        node.put("current", live.version());
        node.set("data", array);
        return Reply.ok(node);
    }

    private static long time(String field, String text) {
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(text);
        }
        try {
            return java.time.Instant.parse(text).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.invalid(field, "must be an ISO-8601 time (2026-12-03T00:00:00Z) or epoch milliseconds");
        }
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_query", "'" + text + "' is not a number");
        }
    }
}
