-- Limits and budgets of keys, users and teams (a key of the config file takes its own from the file).
-- One row per subject; a NULL field is no limit of that kind. Budgets in micro-dollars per calendar
-- period (UTC). The subject is a type and an id, not a foreign key, so one table serves the three.
CREATE TABLE quotas (
    subject_type   TEXT    NOT NULL CHECK (subject_type IN ('key', 'user', 'team')),
    subject_id     BIGINT  NOT NULL,
    rpm            BIGINT,
    tpm            BIGINT,
    concurrent     BIGINT,
    budget_micros  BIGINT,
    budget_period  TEXT    CHECK (budget_period IN ('day', 'week', 'month')),
    updated_at     BIGINT  NOT NULL,          -- epoch millis
    PRIMARY KEY (subject_type, subject_id),
    CHECK ((budget_micros IS NULL) = (budget_period IS NULL))
);
