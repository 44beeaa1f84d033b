package dev.junction.admin;

import dev.junction.core.Clock;
import dev.junction.governance.Action;
import dev.junction.governance.Target;
import dev.junction.store.Conflict;
import dev.junction.store.TeamStore;
import dev.junction.store.UserStore;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ObjectNode;

/** {@code /api/teams}: teams and their members; a user may be in several teams. */
final class TeamApi {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private final TeamStore teams;
    private final UserStore users;
    private final Auditor audit;
    private final Clock clock;
    private final Runnable quotasChanged;

    /**
     * @param quotasChanged run after a team was renamed or deleted or its members changed, which
     *     changes whose limits and budgets a key must pass
     */
    TeamApi(TeamStore teams, UserStore users, Auditor audit, Clock clock, Runnable quotasChanged) {
        this.quotasChanged = quotasChanged;
        this.teams = teams;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/api/teams", this::list),
                Route.of("POST", "/api/teams", this::create),
                Route.of("GET", "/api/teams/{id}", this::read),
                Route.of("PATCH", "/api/teams/{id}", this::rename),
                Route.of("DELETE", "/api/teams/{id}", this::delete),
                Route.of("PUT", "/api/teams/{id}/members/{user_id}", this::addMember),
                Route.of("DELETE", "/api/teams/{id}/members/{user_id}", this::removeMember));
    }

    /** Every team the caller may read (all of them, or a member's own). */
    private Reply list(Call call) {
        var array = Json.array();
        teams.list().stream().filter(t -> call.principal().can(Action.READ, new Target.Team(t.id())))
                .forEach(t -> array.add(Views.team(t)));
        ObjectNode node = Json.object();
        node.set("data", array);
        return Reply.ok(node);
    }

    private static String name(Body body) {
        String name = body.requiredText("name").strip().toLowerCase(Locale.ROOT);
        if (!NAME.matcher(name).matches()) {
            throw ApiException.invalid("name", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a "
                    + "letter or digit");
        }
        return name;
    }

    private static ApiException taken() {
        return ApiException.conflict("name_taken", "There is a team of that name already.", "name");
    }

    private Reply create(Call call) {
        call.require(Action.CREATE, new Target.Whole(Target.Area.TEAMS));
        String name = name(call.body(Set.of("name")));
        TeamStore.Team team;
        try {
            team = teams.create(name, clock.now().toEpochMilli());
        } catch (Conflict e) {
            throw taken();
        }
        ObjectNode view = Views.team(team);
        audit.record(call, "team.create", "team:" + team.id(), null, view);
        return Reply.created(view);
    }

    private TeamStore.Team existing(Call call) {
        return teams.find(call.id("id")).orElseThrow(() -> ApiException.notFound("There is no such team."));
    }

    private Reply read(Call call) {
        TeamStore.Team team = existing(call);
        call.require(Action.READ, new Target.Team(team.id()));
        return Reply.ok(Views.team(team));
    }

    private Reply rename(Call call) {
        TeamStore.Team team = existing(call);
        call.require(Action.UPDATE, new Target.Team(team.id()));
        String name = name(call.body(Set.of("name")));
        try {
            teams.rename(team.id(), name);
        } catch (Conflict e) {
            throw taken();
        }
        quotasChanged.run();
        TeamStore.Team after = teams.find(team.id()).orElseThrow();
        audit.record(call, "team.update", "team:" + team.id(), Views.team(team), Views.team(after));
        return Reply.ok(Views.team(after));
    }

    private Reply delete(Call call) {
        TeamStore.Team team = existing(call);
        call.require(Action.DELETE, new Target.Team(team.id()));
        teams.delete(team.id());
        quotasChanged.run();
        audit.record(call, "team.delete", "team:" + team.id(), Views.team(team), null);
        return Reply.noContent();
    }

    private Reply addMember(Call call) {
        TeamStore.Team team = existing(call);
        call.require(Action.UPDATE, new Target.Team(team.id()));
        long userId = member(call);
        if (teams.addMember(team.id(), userId, clock.now().toEpochMilli())) {
            quotasChanged.run();
            audit.record(call, "team.member.add", "team:" + team.id(), Views.team(team),
                    Views.team(teams.find(team.id()).orElseThrow()));
        }
        return Reply.ok(Views.team(teams.find(team.id()).orElseThrow()));
    }

    private Reply removeMember(Call call) {
        TeamStore.Team team = existing(call);
        call.require(Action.UPDATE, new Target.Team(team.id()));
        long userId = member(call);
        if (!teams.removeMember(team.id(), userId)) {
            throw ApiException.notFound("That user is not in this team.");
        }
        quotasChanged.run();
        TeamStore.Team after = teams.find(team.id()).orElseThrow();
        audit.record(call, "team.member.remove", "team:" + team.id(), Views.team(team), Views.team(after));
        return Reply.ok(Views.team(after));
    }

    private long member(Call call) {
        long userId = call.id("user_id");
        if (users.find(userId).isEmpty()) {
            throw ApiException.notFound("There is no such user.");
        }
        return userId;
    }
}
