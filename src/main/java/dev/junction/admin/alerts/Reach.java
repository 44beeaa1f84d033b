package dev.junction.admin.alerts;

/**
 * An alert's blast radius: how many gateway keys, users and teams sent traffic that the alert is
 * about, and how much that traffic cost (micro-dollars), over the rule's window.
 */
public record Reach(long keys, long users, long teams, long spendMicros) {

    public static final Reach NONE = new Reach(0, 0, 0, 0);

    public Reach {
        if (keys < 0 || users < 0 || teams < 0 || spendMicros < 0) {
            throw new IllegalArgumentException("a reach counts from zero");
        }
    }

    /** Spend in dollars. */
    public double spendUsd() {
        return spendMicros / 1_000_000.0;
    }
}
