package dev.junction.governance;

/**
 * The role model of DESIGN.md §6 as one function:
 * <ul>
 * <li>{@code owner}: everything;</li>
 * <li>{@code admin}: everything but writes on owners and on what owners own (it can read them, and
 * it cannot make anyone an owner);</li>
 * <li>{@code member}: everything on what they own; reads and updates their own account (not its role
 * or state, which are writes on {@link Target.Area#USERS}); reads the teams they are in; nothing
 * else;</li>
 * <li>{@code viewer}: reads everything; the only write is updating their own account (password).</li>
 * </ul>
 */
final class Permissions {

    private Permissions() {
    }

    public static boolean can(Principal who, Action action, Target target) {
        return switch (who.role()) {
            case OWNER -> true;
            case ADMIN -> !action.writes() || !touchesOwner(target);
            case MEMBER -> member(who, action, target);
            case VIEWER -> !action.writes() || self(who, action, target);
        };
    }

    private static boolean touchesOwner(Target target) {
        return switch (target) {
            case Target.User user -> user.role() == Role.OWNER;
            case Target.Owned owned -> owned.ownerRole() == Role.OWNER;
            case Target.Team team -> false;
            case Target.Whole whole -> false;
        };
    }

    private static boolean member(Principal who, Action action, Target target) {
        return switch (target) {
            case Target.Owned owned -> owned.ownerId() == who.userId();
            case Target.User user -> self(who, action, target);
            case Target.Team team -> action == Action.READ && who.teams().contains(team.id());
            case Target.Whole whole -> false;
        };
    }

    /** Reading or updating one's own account (never creating or deleting it). */
    private static boolean self(Principal who, Action action, Target target) {
        return target instanceof Target.User user && user.id() == who.userId()
                && (action == Action.READ || action == Action.UPDATE);
    }
}
