package dev.junction.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The role model of DESIGN.md §6 as a matrix: every role against every kind of target and action.
 * The caller is user 10, in team 1; "other" users are user 20.
 */
class PermissionsTest {

    private static final long SELF = 10;
    private static final long OTHER = 20;

    /** Columns: owner, admin, member, viewer; 'y' allowed, '-' refused. */
    private static final String MATRIX = """
            READ    self                  yyyy
            UPDATE  self                  yyyy
            DELETE  self                  yy--
            READ    other-member          yy-y
            UPDATE  other-member          yy--
            DELETE  other-member          yy--
            READ    other-owner           yy-y
            UPDATE  other-owner           y---
            DELETE  other-owner           y---
            CREATE  new-owner             y---
            CREATE  new-admin             yy--
            CREATE  new-member            yy--
            READ    own-token             yyyy
            CREATE  own-token             yyy-
            DELETE  own-token             yyy-
            READ    member-token          yy-y
            CREATE  member-token          yy--
            DELETE  member-token          yy--
            READ    owner-token           yy-y
            CREATE  owner-token           y---
            DELETE  owner-token           y---
            READ    own-usage             yyyy
            READ    others-usage          yy-y
            READ    my-team               yyyy
            UPDATE  my-team               yy--
            READ    other-team            yy-y
            UPDATE  other-team            yy--
            DELETE  other-team            yy--
            READ    all-users             yy-y
            CREATE  all-users             yy--
            UPDATE  all-users             yy--
            READ    all-teams             yy-y
            CREATE  all-teams             yy--
            READ    audit                 yy-y
            READ    channels              yy-y
            UPDATE  channels              yy--
            UPDATE  settings              yy--
            """;

    private static Target target(String name, Role selfRole) {
        return switch (name) {
            case "self" -> new Target.User(SELF, selfRole);
            case "other-member" -> new Target.User(OTHER, Role.MEMBER);
            case "other-owner" -> new Target.User(OTHER, Role.OWNER);
            case "new-owner" -> new Target.User(0, Role.OWNER);
            case "new-admin" -> new Target.User(0, Role.ADMIN);
            case "new-member" -> new Target.User(0, Role.MEMBER);
            case "own-token" -> new Target.Owned(Target.Kind.TOKEN, SELF, selfRole);
            case "member-token" -> new Target.Owned(Target.Kind.TOKEN, OTHER, Role.MEMBER);
            case "owner-token" -> new Target.Owned(Target.Kind.TOKEN, OTHER, Role.OWNER);
            case "own-usage" -> new Target.Owned(Target.Kind.USAGE, SELF, selfRole);
            case "others-usage" -> new Target.Owned(Target.Kind.USAGE, OTHER, Role.MEMBER);
            case "my-team" -> new Target.Team(1);
            case "other-team" -> new Target.Team(2);
            case "all-users" -> new Target.Whole(Target.Area.USERS);
            case "all-teams" -> new Target.Whole(Target.Area.TEAMS);
            case "audit" -> new Target.Whole(Target.Area.AUDIT);
            case "channels" -> new Target.Whole(Target.Area.CHANNELS);
            case "settings" -> new Target.Whole(Target.Area.SETTINGS);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Test
    void everyRoleGetsExactlyWhatDesignSectionSixGrants() {
        Role[] columns = {Role.OWNER, Role.ADMIN, Role.MEMBER, Role.VIEWER};
        List<String> wrong = new ArrayList<>();
        for (String line : MATRIX.strip().split("\n")) {
            String[] cells = line.strip().split("\\s+");
            Action action = Action.valueOf(cells[0]);
            for (int i = 0; i < columns.length; i++) {
                Principal who = new Principal(SELF, "me", columns[i], Set.of(1L));
                boolean expected = cells[2].charAt(i) == 'y';
                if (who.can(action, target(cells[1], columns[i])) != expected) {
                    wrong.add(columns[i].wire() + " " + action + " " + cells[1] + ": expected "
                            + (expected ? "allowed" : "refused"));
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void aViewerAndAMemberWriteNothingOutsideWhatTheyOwn() {
        for (Role role : List.of(Role.MEMBER, Role.VIEWER)) {
            Principal who = new Principal(SELF, "me", role, Set.of());
            for (Target.Area area : Target.Area.values()) {
                for (Action action : List.of(Action.CREATE, Action.UPDATE, Action.DELETE)) {
                    assertThat(who.can(action, new Target.Whole(area))).as(role + " " + action + " " + area).isFalse();
                }
            }
        }
    }

    @Test
    void rolesHaveWireNamesAndParseBack() {
        Map<String, Role> names = Map.of("owner", Role.OWNER, "admin", Role.ADMIN, "member", Role.MEMBER,
                "viewer", Role.VIEWER);
        names.forEach((wire, role) -> {
            assertThat(role.wire()).isEqualTo(wire);
            assertThat(Role.parse(wire)).contains(role);
        });
        assertThat(Role.parse("root")).isEmpty();
        assertThat(Role.parse("OWNER")).isEmpty();
    }
}
