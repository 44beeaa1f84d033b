package dev.junction.admin;

import dev.junction.governance.Principal;
import dev.junction.store.AdminTokenStore;
import dev.junction.store.SessionStore;
import java.util.Objects;
import java.util.Optional;

/**
 * An authenticated admin API caller: a principal, and either the session it signed in with (and
 * that session's id, held only in memory for this request) or the admin token it presented.
 */
record Caller(Principal principal, Optional<SessionStore.Session> session, Optional<String> sessionId,
        Optional<AdminTokenStore.Token> token) {

    Caller {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(token, "token");
    }

    static Caller bySession(Principal principal, SessionStore.Session session, String sessionId) {
        return new Caller(principal, Optional.of(session), Optional.of(sessionId), Optional.empty());
    }

    static Caller byToken(Principal principal, AdminTokenStore.Token token) {
        return new Caller(principal, Optional.empty(), Optional.empty(), Optional.of(token));
    }

    /** Who, as the audit log shows it. */
    String display() {
        return token.map(t -> "token " + t.name() + " (" + principal.name() + ")")
                .orElse("user " + principal.name());
    }
}
