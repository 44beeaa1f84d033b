package dev.junction.admin;

import dev.junction.core.Clock;
import dev.junction.store.AuditStore;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import tools.jackson.databind.JsonNode;

/**
 * Writes the audit log: who, what, on what, before and after. The JSON given here comes from the
 * views, which never hold a secret (no password hash, no token, no session id).
 */
final class Auditor {

    private final AuditStore store;
    private final Clock clock;

    Auditor(AuditStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** An action by an authenticated caller. */
    void record(Call call, String action, String target, JsonNode before, JsonNode after) {
        Caller caller = call.caller();
        write(OptionalLong.of(caller.principal().userId()),
                caller.token().map(t -> OptionalLong.of(t.id())).orElse(OptionalLong.empty()), caller.display(),
                action, target, before, after, Optional.of(call.client().address()));
    }

    /** An action with no authenticated caller (set-up, sign-in, the config file's seed). */
    void record(long userId, String actor, String action, String target, JsonNode after, Optional<String> address) {
        write(OptionalLong.of(userId), OptionalLong.empty(), actor, action, target, null, after, address);
    }

    private void write(OptionalLong user, OptionalLong token, String actor, String action, String target,
            JsonNode before, JsonNode after, Optional<String> address) {
        store.append(new AuditStore.Entry(0, clock.now().toEpochMilli(), user, token, actor, action, target,
                Optional.ofNullable(before).map(Json::text), Optional.ofNullable(after).map(Json::text),
                address.filter(a -> !a.isEmpty())));
    }
}
