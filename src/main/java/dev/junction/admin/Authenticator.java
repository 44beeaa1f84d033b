package dev.junction.admin;

import dev.junction.core.Clock;
import dev.junction.governance.AdminTokens;
import dev.junction.governance.Principal;
import dev.junction.governance.Role;
import dev.junction.http.Exchange;
import dev.junction.store.AdminTokenStore;
import dev.junction.store.TeamStore;
import dev.junction.store.UserStore;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the admin API caller: {@code Authorization: Bearer jat-…} (an admin token, acting with its
 * owner's current role) or the session cookie. Any other bearer credential, a gateway key above
 * all, is refused: gateway keys never open the admin API.
 */
final class Authenticator {

    private static final long MARK_USED_EVERY_MILLIS = 60_000;

    private final UserStore users;
    private final TeamStore teams;
    private final AdminTokenStore tokens;
    private final AdminTokens secrets;
    private final Sessions sessions;
    private final Clock clock;

    Authenticator(UserStore users, TeamStore teams, AdminTokenStore tokens, AdminTokens secrets, Sessions sessions,
            Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.teams = Objects.requireNonNull(teams, "teams");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The caller; 401 when the request presents credentials that are not valid, or none. */
    Caller require(Exchange exchange) {
        Optional<String> authorization = exchange.header("Authorization");
        if (authorization.isPresent()) {
            return byToken(authorization.get());
        }
        return Sessions.idFrom(exchange.header("Cookie")).flatMap(this::bySession)
                .orElseThrow(() -> ApiException.unauthenticated("not_signed_in",
                        "Sign in, or send an admin API token as 'Authorization: Bearer jat-…'."));
    }

    private Caller byToken(String authorization) {
        String presented = authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : "";
        if (!AdminTokens.looksLikeToken(presented)) {
            throw ApiException.unauthenticated("not_an_admin_token", "The admin API takes an admin API token "
                    + "('Authorization: Bearer jat-…') or a dashboard session; gateway keys do not open it.");
        }
        AdminTokenStore.Token token = tokens.findByHash(secrets.hash(presented))
                .filter(t -> !t.revoked())
                .orElseThrow(Authenticator::invalidToken);
        Principal principal = principal(token.userId()).orElseThrow(Authenticator::invalidToken);
        long now = clock.now().toEpochMilli();
        if (token.lastUsedMillis().isEmpty() || now - token.lastUsedMillis().getAsLong() >= MARK_USED_EVERY_MILLIS) {
            tokens.markUsed(token.id(), now);
        }
        return Caller.byToken(principal, token);
    }

    private static ApiException invalidToken() {
        return ApiException.unauthenticated("invalid_token", "The admin API token is not valid or was revoked.");
    }

    private Optional<Caller> bySession(String id) {
        return sessions.find(id).flatMap(session -> principal(session.userId())
                .map(principal -> Caller.bySession(principal, session, id)));
    }

    /** The principal of an enabled user. */
    Optional<Principal> principal(long userId) {
        return users.find(userId).filter(u -> !u.disabled()).flatMap(u -> Role.parse(u.role())
                .map(role -> new Principal(u.id(), u.name(), role, teams.teamsOf(u.id()))));
    }
}
