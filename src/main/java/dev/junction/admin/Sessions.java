package dev.junction.admin;

import dev.junction.core.Clock;
import dev.junction.governance.KeyHasher;
import dev.junction.store.SessionStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Dashboard sessions and their cookie. The cookie carries a random 256-bit id; the database holds
 * only its keyed hash. Each session has a CSRF token derived from its id (an HMAC under a pepper of
 * its own), handed to the dashboard at sign-in and by {@code GET /api/me}, and required in
 * {@code x-csrf-token} on every write made with the cookie; only its hash is stored.
 */
final class Sessions {

    static final String COOKIE = "junction_session";
    static final String CSRF_HEADER = "x-csrf-token";
    /** How often a session's last-seen time is written at most. */
    private static final long TOUCH_EVERY_MILLIS = 60_000;

    private final SessionStore store;
    private final KeyHasher idHasher;
    private final KeyHasher csrfDeriver;
    private final Duration ttl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    Sessions(SessionStore store, KeyHasher idHasher, KeyHasher csrfDeriver, Duration ttl, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.idHasher = Objects.requireNonNull(idHasher, "idHasher");
        this.csrfDeriver = Objects.requireNonNull(csrfDeriver, "csrfDeriver");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A new session for a user; returns its id (for the cookie only). */
    String open(long userId) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long now = clock.now().toEpochMilli();
        store.prune(now);
        store.create(new SessionStore.Session(idHasher.hash(id), userId, idHasher.hash(csrfToken(id)), now,
                now + ttl.toMillis(), now));
        return id;
    }

    /** The live session of a cookie value. */
    Optional<SessionStore.Session> find(String id) {
        long now = clock.now().toEpochMilli();
        Optional<SessionStore.Session> session = store.find(idHasher.hash(id), now);
        session.filter(s -> now - s.lastSeenMillis() >= TOUCH_EVERY_MILLIS)
                .ifPresent(s -> store.touch(s.idHash(), now));
        return session;
    }

    void close(String id) {
        store.delete(idHasher.hash(id));
    }

    /** The CSRF token of a session id. */
    String csrfToken(String id) {
        return csrfDeriver.hash(id);
    }

    /** Whether {@code presented} is the CSRF token of {@code session} (compared in constant time). */
    boolean csrfMatches(SessionStore.Session session, String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(idHasher.hash(presented).getBytes(StandardCharsets.US_ASCII),
                session.csrfHash().getBytes(StandardCharsets.US_ASCII));
    }

    /** The {@code Set-Cookie} value that stores a session in the browser. */
    String cookie(String id, boolean secure) {
        return COOKIE + "=" + id + "; Path=/; Max-Age=" + ttl.toSeconds() + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    /** The {@code Set-Cookie} value that removes it. */
    String clearingCookie(boolean secure) {
        return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** The session id in a {@code Cookie} header, if there is one. */
    static Optional<String> idFrom(Optional<String> cookieHeader) {
        if (cookieHeader.isEmpty()) {
            return Optional.empty();
        }
        for (String part : cookieHeader.get().split(";")) {
            String pair = part.strip();
            if (pair.startsWith(COOKIE + "=")) {
                String value = pair.substring(COOKIE.length() + 1);
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
