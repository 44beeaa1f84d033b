package dev.junction.admin;

import dev.junction.core.Clock;
import dev.junction.governance.Action;
import dev.junction.governance.AddressRange;
import dev.junction.governance.KeyStore;
import dev.junction.governance.Role;
import dev.junction.governance.Target;
import dev.junction.store.Conflict;
import dev.junction.store.TeamStore;
import dev.junction.store.UserStore;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/keys}: the gateway keys clients send. A key of the admin API belongs to a user (a
 * member sees and manages only their own; a viewer changes nothing), may count for a team, and
 * has a model allow-list, an expiry and an address allow-list. Its secret is in the create and
 * rotate responses only and is stored as a keyed hash. Keys of the config file are listed
 * read-only ({@code source: file}). Every change reaches model traffic at once, with no restart.
 */
final class KeyApi {

    private static final Set<String> CREATE_FIELDS = Set.of("name", "models", "user_id", "team_id", "expires_at",
            "allowed_ips");
    private static final Set<String> UPDATE_FIELDS = CREATE_FIELDS;
    private static final Target FILE_KEYS = new Target.Whole(Target.Area.KEYS);

    private final LiveConfig live;
    private final KeyStore keys;
    private final UserStore users;
    private final TeamStore teams;
    private final Auditor audit;
    private final Clock clock;

    KeyApi(LiveConfig live, UserStore users, TeamStore teams, Auditor audit, Clock clock) {
        this.live = live;
        this.keys = live.keyStore();
        this.users = users;
        this.teams = teams;
        this.audit = audit;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/api/keys", this::list),
                Route.of("POST", "/api/keys", this::create),
                Route.of("GET", "/api/keys/{id}", this::read),
                Route.of("PATCH", "/api/keys/{id}", this::update),
                Route.of("DELETE", "/api/keys/{id}", this::revoke),
                Route.of("POST", "/api/keys/{id}/rotate", this::rotate));
    }

    private long now() {
        return clock.now().toEpochMilli();
    }

    /** What permissions decide on for a key: its owner, or (file keys) the whole key area. */
    private Target target(KeyStore.StoredKey key) {
        if (key.userId().isEmpty()) {
            return FILE_KEYS;
        }
        return owned(key.userId().getAsLong());
    }

    private Target.Owned owned(long userId) {
        Role role = users.find(userId).flatMap(u -> Role.parse(u.role())).orElse(Role.OWNER);
        return new Target.Owned(Target.Kind.KEY, userId, role);
    }

    private ObjectNode view(KeyStore.StoredKey key) {
        return ConfigViews.key(key, now());
    }

    private Reply list(Call call) {
        var array = Json.array();
        keys.list().stream().filter(k -> call.principal().can(Action.READ, target(k)))
                .forEach(k -> array.add(view(k)));
        ObjectNode node = Json.object();
        node.set("data", array);
        return Reply.ok(node);
    }

    private KeyStore.StoredKey existing(Call call) {
        return keys.find(call.id("id")).orElseThrow(() -> ApiException.notFound("There is no such key."));
    }

    private Reply read(Call call) {
        KeyStore.StoredKey key = existing(call);
        call.require(Action.READ, target(key));
        return Reply.ok(view(key));
    }

    /** A key that may be written: not from the file, not revoked, and the caller allowed to. */
    private KeyStore.StoredKey writable(Call call, Action action) {
        KeyStore.StoredKey key = existing(call);
        call.require(action, target(key));
        if (key.fromFile()) {
            throw ApiException.conflict("read_only", "The key '" + key.name() + "' is declared in the config file;"
                    + " change it there and reload.", null);
        }
        if (key.revoked()) {
            throw ApiException.conflict("revoked", "The key is revoked.", null);
        }
        return key;
    }

    private Reply create(Call call) {
        Body body = call.body(CREATE_FIELDS);
        long owner = body.id("user_id").orElse(call.principal().userId());
        if (users.find(owner).isEmpty()) {
            throw ApiException.invalid("user_id", "is not a user");
        }
        call.require(Action.CREATE, owned(owner));
        KeyStore.KeySettings settings = settings(body, null, owner);
        if (settings.expiresAt().isPresent() && settings.expiresAt().getAsLong() <= now()) {
            throw ApiException.invalid("expires_at", "must be in the future");
        }
        String secret = keys.generateSecret();
        KeyStore.StoredKey key;
        try {
            key = keys.create(settings, secret, now());
        } catch (Conflict e) {
            throw ApiException.conflict("name_taken", "A key named '" + settings.name() + "' exists.", "name");
        }
        long version = live.changed(call.caller().display());
        ObjectNode view = view(key);
        audit.record(call, "key.create", "key:" + key.id(), null, view);
        ObjectNode shown = view.deepCopy();
        shown.put("key", secret);
        shown.put("config_version", version);
        return Reply.created(shown);
    }

    private Reply update(Call call) {
        KeyStore.StoredKey key = writable(call, Action.UPDATE);
        Body body = call.body(UPDATE_FIELDS);
        long owner = body.id("user_id").orElse(key.userId().orElseThrow());
        if (owner != key.userId().orElseThrow()) {
            if (users.find(owner).isEmpty()) {
                throw ApiException.invalid("user_id", "is not a user");
            }
            call.require(Action.CREATE, owned(owner));
        }
        KeyStore.KeySettings settings = settings(body, key, owner);
        try {
            if (!keys.update(key.id(), settings, now())) {
                throw ApiException.conflict("revoked", "The key is revoked.", null);
            }
        } catch (Conflict e) {
            throw ApiException.conflict("name_taken", "A key named '" + settings.name() + "' exists.", "name");
        }
        long version = live.changed(call.caller().display());
        KeyStore.StoredKey after = keys.find(key.id()).orElseThrow();
        audit.record(call, "key.update", "key:" + key.id(), view(key), view(after));
        return Reply.ok(view(after).put("config_version", version));
    }

    private Reply revoke(Call call) {
        KeyStore.StoredKey key = existing(call);
        call.require(Action.DELETE, target(key));
        if (key.fromFile()) {
            throw ApiException.conflict("read_only", "The key '" + key.name() + "' is declared in the config file;"
                    + " remove it there and reload.", null);
        }
        if (keys.revoke(key.id(), now())) {
            long version = live.changed(call.caller().display());
            KeyStore.StoredKey after = keys.find(key.id()).orElseThrow();
            audit.record(call, "key.revoke", "key:" + key.id(), view(key), view(after));
            return Reply.ok(view(after).put("config_version", version));
        }
        return Reply.ok(view(keys.find(key.id()).orElseThrow()));
    }

    private Reply rotate(Call call) {
        KeyStore.StoredKey key = writable(call, Action.UPDATE);
        call.body(Set.of());
        String secret = keys.generateSecret();
        if (!keys.rotate(key.id(), secret, now())) {
            throw ApiException.conflict("revoked", "The key is revoked.", null);
        }
        long version = live.changed(call.caller().display());
        KeyStore.StoredKey after = keys.find(key.id()).orElseThrow();
        audit.record(call, "key.rotate", "key:" + key.id(), view(key), view(after));
        ObjectNode shown = view(after);
        shown.put("key", secret);
        shown.put("config_version", version);
        return Reply.ok(shown);
    }

    /** The settings a body gives, over {@code current}'s (null for a create). */
    private KeyStore.KeySettings settings(Body body, KeyStore.StoredKey current, long owner) {
        String name = current == null ? body.requiredText("name").strip()
                : body.has("name") ? body.requiredText("name").strip() : current.name();
        if (name.length() > 100) {
            throw ApiException.invalid("name", "must be at most 100 characters");
        }
        List<String> models = body.strings("models").orElse(current == null ? List.of("*") : current.models());
        if (models.isEmpty()) {
            throw ApiException.invalid("models", "must name at least one model or glob ('*' for all)");
        }
        OptionalLong team = current == null ? OptionalLong.empty() : current.teamId();
        if (body.mentions("team_id")) {
            team = body.id("team_id").map(OptionalLong::of).orElse(OptionalLong.empty());
        }
        if (team.isPresent()) {
            long teamId = team.getAsLong();
            if (teams.find(teamId).isEmpty()) {
                throw ApiException.invalid("team_id", "is not a team");
            }
            if (!teams.teamsOf(owner).contains(teamId)) {
                throw ApiException.invalid("team_id", "is a team the key's owner is not in");
            }
        }
        OptionalLong expires = current == null ? OptionalLong.empty() : current.expiresAt();
        if (body.mentions("expires_at")) {
            expires = body.text("expires_at").map(text -> {
                try {
                    return OptionalLong.of(Instant.parse(text).toEpochMilli());
                } catch (DateTimeParseException e) {
                    throw ApiException.invalid("expires_at", "must be an ISO-8601 time such as 2026-12-31T23:59:59Z");
                }
            }).orElse(OptionalLong.empty());
        }
        List<String> ips = body.mentions("allowed_ips") ? body.strings("allowed_ips").orElse(List.of())
                : current == null ? List.of() : current.allowedIps();
        for (String ip : ips) {
            if (AddressRange.parse(ip).isEmpty()) {
                throw ApiException.invalid("allowed_ips", "'" + ip + "' is not an IP address or CIDR range");
            }
        }
        return new KeyStore.KeySettings(name, models, owner, team, expires, ips);
    }
}
