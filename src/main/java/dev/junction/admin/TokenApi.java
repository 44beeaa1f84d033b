package dev.junction.admin;

import dev.junction.core.Clock;
import dev.junction.governance.Action;
import dev.junction.governance.AdminTokens;
import dev.junction.governance.Role;
import dev.junction.governance.Target;
import dev.junction.store.AdminTokenStore;
import dev.junction.store.UserStore;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/tokens}: admin API tokens for automation. A token acts with its owner's role at the
 * time of use; its secret is in the create response only. Revoking keeps the row for the record.
 */
final class TokenApi {

    private final AdminTokenStore tokens;
    private final UserStore users;
    private final AdminTokens secrets;
    private final Auditor audit;
    private final Clock clock;

    TokenApi(AdminTokenStore tokens, UserStore users, AdminTokens secrets, Auditor audit, Clock clock) {
        this.tokens = tokens;
        this.users = users;
        this.secrets = secrets;
        this.audit = audit;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/api/tokens", this::list),
                Route.of("POST", "/api/tokens", this::create),
                Route.of("GET", "/api/tokens/{id}", this::read),
                Route.of("DELETE", "/api/tokens/{id}", this::revoke));
    }

    private Target.Owned target(long ownerId) {
        Role role = users.find(ownerId).flatMap(u -> Role.parse(u.role())).orElse(Role.OWNER);
        return new Target.Owned(Target.Kind.TOKEN, ownerId, role);
    }

    /** The tokens the caller may read: all of them, or a member's own. */
    private Reply list(Call call) {
        var array = Json.array();
        tokens.list().stream().filter(t -> call.principal().can(Action.READ, target(t.userId())))
                .forEach(t -> array.add(Views.token(t)));
        ObjectNode node = Json.object();
        node.set("data", array);
        return Reply.ok(node);
    }

    private Reply create(Call call) {
        Body body = call.body(Set.of("name", "user_id"));
        String name = body.requiredText("name").strip();
        if (name.length() > 100) {
            throw ApiException.invalid("name", "must be at most 100 characters");
        }
        long owner = body.id("user_id").orElse(call.principal().userId());
        if (users.find(owner).isEmpty()) {
            throw ApiException.invalid("user_id", "is not a user");
        }
        call.require(Action.CREATE, target(owner));
        String secret = secrets.generate();
        AdminTokenStore.Token token = tokens.create(name, secrets.hash(secret), AdminTokens.visiblePrefix(secret),
                AdminTokens.visibleSuffix(secret), owner, clock.now().toEpochMilli());
        ObjectNode view = Views.token(token);
        audit.record(call, "token.create", "token:" + token.id(), null, view);
        ObjectNode shown = view.deepCopy();
        shown.put("token", secret);
        return Reply.created(shown);
    }

    private AdminTokenStore.Token existing(Call call) {
        return tokens.find(call.id("id")).orElseThrow(() -> ApiException.notFound("There is no such token."));
    }

    private Reply read(Call call) {
        AdminTokenStore.Token token = existing(call);
        call.require(Action.READ, target(token.userId()));
        return Reply.ok(Views.token(token));
    }

    private Reply revoke(Call call) {
        AdminTokenStore.Token token = existing(call);
        call.require(Action.DELETE, target(token.userId()));
        if (tokens.revoke(token.id(), clock.now().toEpochMilli())) {
            audit.record(call, "token.revoke", "token:" + token.id(), Views.token(token),
                    Views.token(tokens.find(token.id()).orElseThrow()));
        }
        return Reply.ok(Views.token(tokens.find(token.id()).orElseThrow()));
    }
}
