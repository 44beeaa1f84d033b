package dev.junction.admin;

import dev.junction.config.Result;
import dev.junction.config.RuntimeSettings;
import dev.junction.config.SettingsBinder;
import dev.junction.core.Clock;
import dev.junction.governance.Action;
import dev.junction.governance.Target;
import dev.junction.store.SettingsStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/settings}: the runtime settings (the config file's {@code failover:} and {@code usage:}
 * sections, {@link SettingsBinder#FIELDS}), each with its value, default and where it comes from.
 * A setting the config file gives is read-only here (change it in the file and reload), as the
 * file's channels and keys are; the others may be set with {@code PATCH}, a body shaped like the
 * file ({@code {"failover": {"max_attempts": 3}}}; {@code null} returns a setting to its default).
 * The body is checked by the file's binders with their messages, each problem naming its field as a
 * JSON pointer, together with the file's values (so {@code usage.keep_rollups} is still at least
 * {@code keep_raw}). A change is stored in the database, swaps the routing snapshot at once (a
 * request already running keeps the settings it started with), records a routing-config version
 * (other instances rebuild on its announcement) and an audit entry with the values before and after.
 * Owners and admins change settings; viewers read them; members see none.
 */
final class SettingsApi {

    private static final Target SETTINGS = new Target.Whole(Target.Area.SETTINGS);

    private final LiveConfig live;
    private final Auditor audit;
    private final Clock clock;

    SettingsApi(LiveConfig live, Auditor audit, Clock clock) {
        this.live = live;
        this.audit = audit;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/api/settings", this::read),
                Route.of("PATCH", "/api/settings", this::patch));
    }

    private Reply read(Call call) {
        call.require(Action.READ, SETTINGS);
        return Reply.ok(view());
    }

    private Reply patch(Call call) {
        call.require(Action.UPDATE, SETTINGS);
        ObjectNode body = call.object();
        Map<String, JsonNode> changes = new LinkedHashMap<>();
        flatten("", body, changes);
        Set<String> fromFile = live.config().fileSettings();
        for (String name : changes.keySet()) {
            if (fromFile.contains(name)) {
                throw ApiException.conflict("read_only", "The setting '" + name + "' is given in the config file;"
                        + " change it there and reload.", name);
            }
        }
        Map<String, SettingsStore.StoredSetting> stored = live.storedSettings();
        Map<String, JsonNode> next = new LinkedHashMap<>();
        stored.forEach((name, row) -> next.put(name, Json.parse(row.value())));
        Map<String, String> set = new LinkedHashMap<>();
        List<String> removed = new ArrayList<>();
        changes.forEach((name, value) -> {
            if (value.isNull()) {
                for (String old : List.copyOf(next.keySet())) {
                    if (old.equals(name) || old.startsWith(name + ".")) {
                        next.remove(old);
                        removed.add(old);
                    }
                }
            } else {
                next.put(name, value);
                set.put(name, Json.text(value));
            }
        });
        Result<RuntimeSettings> bound = live.settingsWith(next);
        if (!bound.isOk()) {
            throw ApiException.invalidConfig("invalid_field", bound.problems(), false, null);
        }
        Map<String, Object> before = SettingsBinder.values(live.settings());
        live.settingsStore().change(set, removed, clock.now().toEpochMilli(), call.caller().display());
        long version = live.changed(call.caller().display());
        Map<String, Object> after = SettingsBinder.values(live.settings());
        ObjectNode was = Json.object();
        ObjectNode now = Json.object();
        before.forEach((name, value) -> {
            if (!value.equals(after.get(name))) {
                was.set(name, Json.MAPPER.valueToTree(value));
                now.set(name, Json.MAPPER.valueToTree(after.get(name)));
            }
        });
        audit.record(call, "settings.update", "settings", was, now);
        ObjectNode reply = view();
        reply.put("config_version", version);
        return Reply.ok(reply);
    }

    /** {@code body}'s leaves by dotted name; a mapping with entries is walked, anything else is a leaf. */
    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> into) {
        if (node.isObject() && (prefix.isEmpty() || !node.isEmpty())) {
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                flatten(prefix.isEmpty() ? property.getKey() : prefix + "." + property.getKey(), property.getValue(),
                        into);
            }
        } else if (!prefix.isEmpty()) {
            into.put(prefix, node);
        }
    }

    /** Every setting: value, default, source ({@code file}, {@code admin}, {@code default}), read-only. */
    private ObjectNode view() {
        Map<String, Object> values = SettingsBinder.values(live.settings());
        Map<String, Object> defaults = SettingsBinder.values(RuntimeSettings.DEFAULT);
        Set<String> fromFile = live.config().fileSettings();
        Map<String, SettingsStore.StoredSetting> stored = live.storedSettings();
        var data = Json.array();
        for (SettingsBinder.Field field : SettingsBinder.FIELDS) {
            String name = field.name();
            ObjectNode node = data.addObject();
            node.put("name", name);
            node.put("kind", field.kind());
            node.set("value", Json.MAPPER.valueToTree(values.get(name)));
            node.set("default", Json.MAPPER.valueToTree(defaults.get(name)));
            SettingsStore.StoredSetting row = stored.get(name);
            boolean file = fromFile.contains(name);
            node.put("source", file ? "file" : row != null ? "admin" : "default");
            node.put("read_only", file);
            if (row != null && !file) {
                node.put("updated_at", Json.time(row.updatedMillis()));
                node.put("updated_by", row.updatedBy());
            }
        }
        ObjectNode reply = Json.object();
        reply.set("data", data);
        reply.put("config_version", live.version());
        return reply;
    }
}
