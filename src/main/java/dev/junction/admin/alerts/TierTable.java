package dev.junction.admin.alerts;

import java.util.List;

/**
 * The one table every rule's tier follows (README "Alert tiers"): an alert is {@code critical} when
 * any column of its {@link Reach} reaches the critical line, else {@code warning} when any reaches
 * the warning line, else {@code info}. No rule sets its own tier; what a rule finds only decides
 * whether it fires, and the reach of the traffic it is about decides how loud.
 *
 * <pre>
 * tier      keys   users  teams  spend in the window
 * critical  ≥ 10   ≥ 10   ≥ 3    ≥ $100
 * warning   ≥ 2    ≥ 2    ≥ 2    ≥ $10
 * info      below every warning line
 * </pre>
 */
public record TierTable(Line critical, Line warning) {

    /** One row: the least keys, users, teams or spend (micro-dollars) that put an alert at its tier. */
    public record Line(long keys, long users, long teams, long spendMicros) {

        boolean reachedBy(Reach reach) {
            return reach.keys() >= keys || reach.users() >= users || reach.teams() >= teams
                    || reach.spendMicros() >= spendMicros;
        }
    }

    /** The standard table. */
    public static final TierTable STANDARD = new TierTable(new Line(10, 10, 3, 100_000_000L),
            new Line(2, 2, 2, 10_000_000L));

    /** The tier of an alert that reaches {@code reach}. */
    public Tier tierOf(Reach reach) {
        if (critical.reachedBy(reach)) {
            return Tier.CRITICAL;
        }
        return warning.reachedBy(reach) ? Tier.WARNING : Tier.INFO;
    }

    /** The lines, highest tier first, for the API and the dashboard. */
    public List<Row> rows() {
        return List.of(new Row(Tier.CRITICAL, critical), new Row(Tier.WARNING, warning));
    }

    /** A tier and the line that reaches it. */
    public record Row(Tier tier, Line line) {
    }
}
