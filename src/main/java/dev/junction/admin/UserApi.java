package dev.junction.admin;

import dev.junction.core.Clock;
import dev.junction.governance.Action;
import dev.junction.governance.Passwords;
import dev.junction.governance.Role;
import dev.junction.governance.Target;
import dev.junction.store.Conflict;
import dev.junction.store.SessionStore;
import dev.junction.store.UserStore;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/users}: list, create, read, update, delete. Changing a role or disabling a user is
 * a write on the whole user area as well as on the user, so members and viewers can only change
 * their own name, email and password (with the current password). The last enabled owner cannot
 * be demoted, disabled or deleted. A changed password, role or state ends the user's other sessions.
 */
final class UserApi {

    private static final Set<String> CREATE_FIELDS = Set.of("name", "email", "password", "role");
    private static final Set<String> UPDATE_FIELDS = Set.of("name", "email", "password", "current_password", "role",
            "disabled");

    private final UserStore users;
    private final SessionStore sessions;
    private final Passwords passwords;
    private final Auditor audit;
    private final Clock clock;
    private final Consumer<String> keysChanged;

    /**
     * @param keysChanged told (with who did it) when a user was disabled, enabled or deleted, whose
     *     gateway keys then stop or start working
     */
    UserApi(UserStore users, SessionStore sessions, Passwords passwords, Auditor audit, Clock clock,
            Consumer<String> keysChanged) {
        this.keysChanged = keysChanged;
        this.users = users;
        this.sessions = sessions;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/api/users", this::list),
                Route.of("POST", "/api/users", this::create),
                Route.of("GET", "/api/users/{id}", this::read),
                Route.of("PATCH", "/api/users/{id}", this::update),
                Route.of("DELETE", "/api/users/{id}", this::delete));
    }

    private Reply list(Call call) {
        call.require(Action.READ, new Target.Whole(Target.Area.USERS));
        var array = Json.array();
        users.list().forEach(u -> array.add(Views.user(u)));
        ObjectNode node = Json.object();
        node.set("data", array);
        return Reply.ok(node);
    }

    private Reply create(Call call) {
        call.require(Action.CREATE, new Target.Whole(Target.Area.USERS));
        Body body = call.body(CREATE_FIELDS);
        String name = UserInput.name(body.requiredText("name"));
        Optional<String> email = UserInput.email(body.text("email"));
        String password = UserInput.password("password", body.text("password")
                .orElseThrow(() -> ApiException.invalid("password", "is required")));
        Role role = UserInput.role(body.requiredText("role"));
        call.require(Action.CREATE, new Target.User(0, role));
        UserStore.User user;
        try {
            user = users.create(new UserStore.NewUser(name, email, passwords.hash(password), role.wire()),
                    clock.now().toEpochMilli());
        } catch (Conflict taken) {
            throw taken(email);
        }
        ObjectNode view = Views.user(user);
        audit.record(call, "user.create", "user:" + user.id(), null, view);
        return Reply.created(view);
    }

    private static ApiException taken(Optional<String> email) {
        return ApiException.conflict("name_taken", "That name" + (email.isPresent() ? " or email" : "")
                + " belongs to another user.", email.isPresent() ? null : "name");
    }

    private UserStore.User existing(Call call) {
        return users.find(call.id("id")).orElseThrow(() -> ApiException.notFound("There is no such user."));
    }

    private Reply read(Call call) {
        UserStore.User user = existing(call);
        call.require(Action.READ, target(user));
        return Reply.ok(Views.user(user));
    }

    private Reply update(Call call) {
        UserStore.User user = existing(call);
        call.require(Action.UPDATE, target(user));
        Body body = call.body(UPDATE_FIELDS);
        boolean self = user.id() == call.principal().userId();
        String name = body.text("name").map(UserInput::name).orElse(user.name());
        Optional<String> email = body.has("email") ? UserInput.email(body.text("email")) : user.email();
        Role role = body.text("role").map(UserInput::role).orElseGet(() -> Role.parse(user.role()).orElseThrow());
        boolean disabled = body.bool("disabled").orElse(user.disabled());
        boolean roleOrState = !role.wire().equals(user.role()) || disabled != user.disabled();
        if (roleOrState) {
            call.require(Action.UPDATE, new Target.Whole(Target.Area.USERS));
            call.require(Action.UPDATE, new Target.User(user.id(), role));
            keepAnOwner(user, role, disabled);
        }
        String hash = user.passwordHash();
        Optional<String> password = body.text("password");
        if (password.isPresent()) {
            UserInput.password("password", password.get());
            if (self) {
                String current = body.text("current_password").orElseThrow(() -> ApiException.invalid(
                        "current_password", "is required to change your own password"));
                if (!passwords.verify(current, user.passwordHash())) {
                    throw ApiException.invalid("current_password", "is wrong");
                }
            }
            hash = passwords.hash(password.get());
        }
        UserStore.User updated = new UserStore.User(user.id(), name, email, hash, role.wire(), disabled,
                user.createdMillis());
        try {
            users.update(updated);
        } catch (Conflict taken) {
            throw taken(email);
        }
        if (roleOrState || password.isPresent()) {
            String keep = self ? call.caller().session().map(SessionStore.Session::idHash).orElse("") : "";
            sessions.deleteForUserExcept(user.id(), keep);
        }
        if (disabled != user.disabled()) {
            keysChanged.accept(call.caller().display());
        }
        ObjectNode after = Views.user(updated);
        after.put("password_changed", password.isPresent());
        audit.record(call, "user.update", "user:" + user.id(), Views.user(user), after);
        return Reply.ok(Views.user(updated));
    }

    /** 409 when a change would leave no enabled owner. */
    private void keepAnOwner(UserStore.User user, Role role, boolean disabled) {
        boolean wasActiveOwner = user.role().equals(Role.OWNER.wire()) && !user.disabled();
        boolean staysActiveOwner = role == Role.OWNER && !disabled;
        if (wasActiveOwner && !staysActiveOwner && users.countActive(Role.OWNER.wire()) <= 1) {
            throw ApiException.conflict("last_owner", "This is the only enabled owner; make another owner first.",
                    null);
        }
    }

    private Reply delete(Call call) {
        UserStore.User user = existing(call);
        call.require(Action.DELETE, target(user));
        if (user.id() == call.principal().userId()) {
            throw ApiException.conflict("self", "You cannot delete your own account.", null);
        }
        keepAnOwner(user, Role.VIEWER, true);
        users.delete(user.id());
        keysChanged.accept(call.caller().display());
        audit.record(call, "user.delete", "user:" + user.id(), Views.user(user), null);
        return Reply.noContent();
    }

    private static Target.User target(UserStore.User user) {
        return new Target.User(user.id(), Role.parse(user.role()).orElseThrow());
    }
}
