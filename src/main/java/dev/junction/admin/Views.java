package dev.junction.admin;

import dev.junction.store.AdminTokenStore;
import dev.junction.store.AuditStore;
import dev.junction.store.TeamStore;
import dev.junction.store.UserStore;
import tools.jackson.databind.node.ObjectNode;

/** The JSON the admin API shows for its objects. None of them holds a secret. */
final class Views {

    private Views() {
    }

    static ObjectNode user(UserStore.User user) {
        ObjectNode node = Json.object();
        node.put("id", user.id());
        node.put("name", user.name());
        if (user.email().isPresent()) {
            node.put("email", user.email().get());
        } else {
            node.putNull("email");
        }
        node.put("role", user.role());
        node.put("disabled", user.disabled());
        node.put("created_at", Json.time(user.createdMillis()));
        return node;
    }

    static ObjectNode team(TeamStore.Team team) {
        ObjectNode node = Json.object();
        node.put("id", team.id());
        node.put("name", team.name());
        node.put("created_at", Json.time(team.createdMillis()));
        var members = node.putArray("members");
        team.members().stream().sorted().forEach(members::add);
        return node;
    }

    static ObjectNode token(AdminTokenStore.Token token) {
        ObjectNode node = Json.object();
        node.put("id", token.id());
        node.put("name", token.name());
        node.put("prefix", token.prefix());
        node.put("suffix", token.suffix());
        node.put("display", token.prefix() + "…" + token.suffix());
        node.put("user_id", token.userId());
        node.put("created_at", Json.time(token.createdMillis()));
        Json.putTime(node, "last_used_at", token.lastUsedMillis());
        Json.putTime(node, "revoked_at", token.revokedMillis());
        return node;
    }

    static ObjectNode audit(AuditStore.Entry entry) {
        ObjectNode node = Json.object();
        node.put("id", entry.id());
        node.put("at", Json.time(entry.atMillis()));
        node.put("actor", entry.actor());
        putId(node, "actor_user_id", entry.actorUserId());
        putId(node, "actor_token_id", entry.actorTokenId());
        node.put("action", entry.action());
        node.put("target", entry.target());
        node.set("before", entry.before().map(Json::parse).orElse(null));
        node.set("after", entry.after().map(Json::parse).orElse(null));
        if (entry.ip().isPresent()) {
            node.put("ip", entry.ip().get());
        } else {
            node.putNull("ip");
        }
        return node;
    }

    private static void putId(ObjectNode node, String field, java.util.OptionalLong id) {
        if (id.isPresent()) {
            node.put(field, id.getAsLong());
        } else {
            node.putNull(field);
        }
    }
}
