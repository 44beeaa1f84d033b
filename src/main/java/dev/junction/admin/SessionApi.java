package dev.junction.admin;

import dev.junction.core.Clock;
import dev.junction.governance.LoginGuard;
import dev.junction.governance.Passwords;
import dev.junction.governance.Role;
import dev.junction.store.Conflict;
import dev.junction.store.TeamStore;
import dev.junction.store.UserStore;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * First-run set-up, sign-in, sign-out and {@code /api/me}. Set-up creates the owner exactly once
 * (the database decides between concurrent attempts) and signs them in.
 */
final class SessionApi {

    private final UserStore users;
    private final TeamStore teams;
    private final Passwords passwords;
    private final LoginGuard guard;
    private final Sessions sessions;
    private final Auditor audit;
    private final Clock clock;

    SessionApi(UserStore users, TeamStore teams, Passwords passwords, LoginGuard guard, Sessions sessions,
            Auditor audit, Clock clock) {
        this.users = users;
        this.teams = teams;
        this.passwords = passwords;
        this.guard = guard;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(
                Route.open("GET", "/api/setup", this::setupState),
                Route.open("POST", "/api/setup", this::setup),
                Route.open("POST", "/api/login", this::login),
                Route.of("POST", "/api/logout", this::logout),
                Route.of("GET", "/api/me", this::me));
    }

    private Reply setupState(Call call) {
        ObjectNode node = Json.object();
        node.put("needed", !users.setupDone());
        return Reply.ok(node);
    }

    private Reply setup(Call call) {
        if (users.setupDone()) {
            throw alreadySetUp();
        }
        Body body = call.body(Set.of("name", "email", "password"));
        String name = UserInput.name(body.requiredText("name"));
        Optional<String> email = UserInput.email(body.text("email"));
        String password = UserInput.password("password", body.text("password")
                .orElseThrow(() -> ApiException.invalid("password", "is required")));
        UserStore.User owner;
        try {
            owner = users.completeSetup(new UserStore.NewUser(name, email, passwords.hash(password),
                    Role.OWNER.wire()), clock.now().toEpochMilli());
        } catch (Conflict raced) {
            throw alreadySetUp();
        }
        audit.record(owner.id(), "user " + owner.name(), "setup.complete", "user:" + owner.id(), Views.user(owner),
                Optional.of(call.client().address()));
        return signedIn(call, owner, 201);
    }

    private static ApiException alreadySetUp() {
        return ApiException.conflict("setup_done", "The owner account exists already; sign in instead.", null);
    }

    private Reply login(Call call) {
        Body body = call.body(Set.of("name", "password"));
        String login = body.requiredText("name").strip().toLowerCase(Locale.ROOT);
        String password = body.text("password").orElseThrow(() -> ApiException.invalid("password", "is required"));
        String address = call.client().address();
        Optional<Duration> wait = guard.blocked(login, address);
        if (wait.isPresent()) {
            throw locked(wait.get());
        }
        Optional<UserStore.User> user = users.findByLogin(login);
        boolean valid;
        if (user.isPresent()) {
            valid = passwords.verify(password, user.get().passwordHash()) && !user.get().disabled();
        } else {
            passwords.verifyNothing(password);
            valid = false;
        }
        if (!valid) {
            guard.failed(login, address);
            throw ApiException.unauthenticated("invalid_credentials", "The name or password is wrong.");
        }
        guard.succeeded(login);
        audit.record(user.get().id(), "user " + user.get().name(), "session.create", "user:" + user.get().id(),
                null, Optional.of(address));
        return signedIn(call, user.get(), 200);
    }

    private static ApiException locked(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return ApiException.throttled("Too many failed sign-ins; try again in " + seconds + " s.",
                Duration.ofSeconds(seconds));
    }

    private Reply signedIn(Call call, UserStore.User user, int status) {
        String id = sessions.open(user.id());
        ObjectNode node = Json.object();
        node.set("user", Views.user(user));
        node.put("csrf_token", sessions.csrfToken(id));
        return new Reply(status, node, java.util.Map.of("Set-Cookie", sessions.cookie(id, call.client().https())));
    }

    private Reply logout(Call call) {
        Caller caller = call.caller();
        caller.sessionId().ifPresent(id -> {
            sessions.close(id);
            audit.record(call, "session.delete", "user:" + caller.principal().userId(), null, null);
        });
        return Reply.noContent().withHeader("Set-Cookie", sessions.clearingCookie(call.client().https()));
    }

    private Reply me(Call call) {
        Caller caller = call.caller();
        UserStore.User user = users.find(caller.principal().userId())
                .orElseThrow(() -> ApiException.unauthenticated("not_signed_in", "The account no longer exists."));
        ObjectNode node = Json.object();
        node.set("user", Views.user(user));
        var ids = node.putArray("teams");
        teams.teamsOf(user.id()).stream().sorted().forEach(ids::add);
        node.put("auth", caller.token().isPresent() ? "token" : "session");
        if (caller.sessionId().isPresent()) {
            node.put("csrf_token", sessions.csrfToken(caller.sessionId().get()));
        }
        return Reply.ok(node);
    }
}
