-- Accounts of the dashboard and the admin API (DESIGN.md §6). No secret is stored in the clear:
-- passwords as Argon2id PHC strings, session ids, CSRF tokens and admin API tokens as keyed hashes.

-- People who sign in. name (and email) are stored lower case, so they are unique regardless of case.
CREATE TABLE users (
    id             BIGSERIAL PRIMARY KEY,
    name           TEXT    NOT NULL UNIQUE,
    email          TEXT    UNIQUE,
    password_hash  TEXT    NOT NULL,       -- Argon2id, PHC string format
    role           TEXT    NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     BIGINT  NOT NULL        -- epoch millis
);

-- At most one row: the first-run set-up (creating the owner) happened. Its primary key makes two
-- concurrent set-ups collide, so exactly one of them wins.
CREATE TABLE setup (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    owner_id  BIGINT  NOT NULL,
    done_at   BIGINT  NOT NULL
);

CREATE TABLE teams (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    created_at  BIGINT  NOT NULL
);

-- A user may be in several teams.
CREATE TABLE team_members (
    team_id     BIGINT  NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id     BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

-- Dashboard sessions: the cookie carries the id, the row only its keyed hash.
CREATE TABLE sessions (
    id_hash       TEXT    PRIMARY KEY,
    user_id       BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_hash     TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    expires_at    BIGINT  NOT NULL,
    last_seen_at  BIGINT  NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Admin API tokens (jat-…): shown once at creation, then only prefix and suffix.
CREATE TABLE admin_tokens (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT    NOT NULL,
    token_hash    TEXT    NOT NULL UNIQUE,
    prefix        TEXT    NOT NULL,
    suffix        TEXT    NOT NULL,
    user_id       BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    BIGINT  NOT NULL,
    last_used_at  BIGINT,
    revoked_at    BIGINT
);
CREATE INDEX admin_tokens_user ON admin_tokens (user_id);

-- Failed sign-ins per subject ('account:<name>' or 'ip:<address>') inside a window, and the lock
-- that N of them set.
CREATE TABLE login_throttle (
    subject       TEXT    PRIMARY KEY,
    failures      INTEGER NOT NULL,
    window_start  BIGINT  NOT NULL,
    locked_until  BIGINT  NOT NULL
);

-- Every admin write: who (user and, for automation, the token), what, on what, before and after
-- (JSON, never a secret).
CREATE TABLE audit_log (
    id              BIGSERIAL PRIMARY KEY,
    at              BIGINT  NOT NULL,
    actor_user_id   BIGINT,
    actor_token_id  BIGINT,
    actor           TEXT    NOT NULL,
    action          TEXT    NOT NULL,
    target          TEXT    NOT NULL,
    before_json     TEXT,
    after_json      TEXT,
    ip              TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
