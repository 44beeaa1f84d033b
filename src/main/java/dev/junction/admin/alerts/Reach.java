package dev.junction.admin.alerts;

import java.util.Set;

/**
 * An alert's blast radius: how many gateway keys, users and teams sent traffic that the alert is
 * about, and how much that traffic cost (micro-dollars), over the rule's window; and which teams
 * those were (a member reads the alerts that touch a team of theirs).
 */
public record Reach(long keys, long users, long teams, long spendMicros, Set<Long> teamIds) {

    public static final Reach NONE = new Reach(0, 0, 0, 0);

    public Reach {
        if (keys < 0 || users < 0 || teams < 0 || spendMicros < 0) {
            throw new IllegalArgumentException("a reach counts from zero");
        }
        teamIds = Set.copyOf(teamIds);
    }

    /** A reach whose teams are not named. */
    public Reach(long keys, long users, long teams, long spendMicros) {
        this(keys, users, teams, spendMicros, Set.of());
    }

    /** The same reach, touching {@code team} too (a team's budget touches the team even before it has traffic). */
    Reach touching(long team) {
        Set<Long> ids = new java.util.HashSet<>(teamIds);
        ids.add(team);
        return new Reach(keys, users, Math.max(teams, ids.size()), spendMicros, ids);
    }

    /** Spend in dollars. */
    public double spendUsd() {
        return spendMicros / 1_000_000.0;
    }
}
