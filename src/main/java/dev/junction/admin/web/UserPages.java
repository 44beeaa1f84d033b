package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.ApiAnswer;
import dev.junction.admin.web.Dashboard.PageRoute;
import dev.junction.admin.web.Html.Raw;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Users & teams: the list, add, edit, disable, delete; teams and their members. */
final class UserPages {

    private static final Set<String> USER_FIELDS = Set.of("name", "email", "password", "role", "disabled",
            "current_password");
    private static final Map<String, String> DONE = Map.of(
            "user-created", "User created.",
            "user-saved", "User saved.",
            "user-deleted", "User deleted.",
            "team-created", "Team created.",
            "team-saved", "Team saved.",
            "team-deleted", "Team deleted.",
            "member-added", "Member added.",
            "member-removed", "Member removed.");

    private UserPages() {
    }

    static List<PageRoute> routes() {
        return List.of(
                new PageRoute("GET", "/users", false, UserPages::list),
                new PageRoute("POST", "/users", false, UserPages::create),
                new PageRoute("GET", "/users/{id}", false, UserPages::edit),
                new PageRoute("POST", "/users/{id}", false, UserPages::save),
                new PageRoute("POST", "/users/{id}/delete", false, UserPages::delete),
                new PageRoute("POST", "/teams", false, UserPages::createTeam),
                new PageRoute("GET", "/teams/{id}", false, UserPages::team),
                new PageRoute("POST", "/teams/{id}", false, UserPages::renameTeam),
                new PageRoute("POST", "/teams/{id}/delete", false, UserPages::deleteTeam),
                new PageRoute("POST", "/teams/{id}/members", false, UserPages::addMember),
                new PageRoute("POST", "/teams/{id}/members/{user_id}/delete", false, UserPages::removeMember));
    }

    static List<JsonNode> data(ApiAnswer answer) {
        return StreamSupport.stream(answer.body().path("data").spliterator(), false).toList();
    }

    static String notice(Req req) {
        return req.query("done").map(DONE::get).orElse("");
    }

    private static Answer list(Req req) {
        return listPage(req, Fields.empty(), Fields.empty().in("team"), 200);
    }

    private static Answer listPage(Req req, Fields userForm, Fields teamForm, int status) {
        Me me = req.me().orElseThrow();
        ApiAnswer users = req.get("/api/users");
        if (!users.ok()) {
            return Errors.api(me, "/users", users);
        }
        ApiAnswer teams = req.get("/api/teams");
        Map<Long, String> names = new HashMap<>();
        data(users).forEach(u -> names.put(u.path("id").asLong(), u.path("name").asString()));
        Raw rows = Html.join(data(users).stream().map(u -> f("""
                <tr>
                  <td><a href="/users/%s">%s</a></td>
                  <td>%s</td>
                  <td><span class="badge">%s</span></td>
                  <td>%s</td>
                  <td>%s</td>
                </tr>
                """, u.path("id").asLong(), u.path("name").asString(), u.path("email").asString(""),
                u.path("role").asString(), Html.raw(u.path("disabled").asBoolean()
                        ? "<span class=\"badge bad\">disabled</span>" : "<span class=\"badge good\">active</span>"),
                Html.raw(Time.tag(u.path("created_at").asString())))));
        Raw teamRows = Html.join(data(teams).stream().map(t -> {
            List<String> members = new ArrayList<>();
            t.path("members").forEach(m -> members.add(names.getOrDefault(m.asLong(), "#" + m.asLong())));
            return f("<tr><td><a href=\"/teams/%s\">%s</a></td><td>%s</td></tr>", t.path("id").asLong(),
                    t.path("name").asString(), members.isEmpty() ? "—" : String.join(", ", members));
        }));
        Raw addUser = Html.when(me.manages(), f("""
                <section aria-labelledby="add-user">
                  <h2 id="add-user">Add a user</h2>
                  %s
                  <form method="post" action="/users" class="card grid-form">
                    %s%s%s%s%s
                    <div class="actions"><button type="submit">Add user</button></div>
                  </form>
                </section>
                """, userForm.alert(), Layout.csrf(me),
                userForm.input("name", "Name", "text", "required autocomplete=\"off\""),
                userForm.input("email", "Email (optional)", "email", "autocomplete=\"off\""),
                userForm.input("password", "Password (at least 8 characters)", "password",
                        "required autocomplete=\"new-password\""),
                userForm.select("role", "Role", me.owner() ? Fields.ROLES : Fields.ROLES.subList(1, 4), "member")));
        Raw addTeam = Html.when(me.manages(), f("""
                <form method="post" action="/teams" class="card inline-form">
                  %s%s%s
                  <button type="submit">Add team</button>
                </form>
                """, teamForm.alert(), Layout.csrf(me), teamForm.input("name", "New team's name", "text",
                "required autocomplete=\"off\"")));
        Raw content = f("""
                %s
                <section aria-labelledby="users">
                  <h2 id="users">Users</h2>
                  <p class="hint">Owners do everything; admins everything but owners; members their own keys and
                  usage; viewers read everything.</p>
                  <div class="table-wrap"><table>
                    <thead><tr><th>Name</th><th>Email</th><th>Role</th><th>State</th><th>Created</th></tr></thead>
                    <tbody>%s</tbody>
                  </table></div>
                </section>
                %s
                <section aria-labelledby="teams">
                  <h2 id="teams">Teams</h2>
                  <div class="table-wrap"><table>
                    <thead><tr><th>Team</th><th>Members</th></tr></thead>
                    <tbody>%s</tbody>
                  </table></div>
                  %s
                </section>
                """, Layout.notice(notice(req)), rows, addUser,
                data(teams).isEmpty() ? Html.raw("<tr><td colspan=\"2\">No teams yet.</td></tr>") : teamRows, addTeam);
        return Answer.page(status, Layout.page(me, "Users & teams", "/users", content));
    }

    private static Answer create(Req req) {
        Form form = req.form();
        ObjectNode body = AuthPages.json();
        body.put("name", form.get("name"));
        form.text("email").ifPresent(e -> body.put("email", e));
        body.put("password", form.get("password"));
        body.put("role", form.get("role"));
        ApiAnswer answer = req.send("POST", "/api/users", body);
        if (answer.ok()) {
            return Answer.redirect("/users?done=user-created");
        }
        return listPage(req, Fields.of(form).error(answer, USER_FIELDS), Fields.empty().in("team"), 422);
    }

    private static Answer edit(Req req) {
        ApiAnswer user = req.get("/api/users/" + Req.enc(req.param("id")));
        Me me = req.me().orElseThrow();
        if (!user.ok()) {
            return Errors.api(me, "/users", user);
        }
        JsonNode u = user.body();
        Map<String, String> values = new HashMap<>();
        values.put("name", u.path("name").asString());
        values.put("email", u.path("email").asString(""));
        values.put("role", u.path("role").asString());
        if (u.path("disabled").asBoolean()) {
            values.put("disabled", "on");
        }
        values.put("_loaded", "1");
        return editPage(req, u, Fields.of(Form.of(values)), 200);
    }

    private static Answer editPage(Req req, JsonNode user, Fields fields, int status) {
        Me me = req.me().orElseThrow();
        long id = user.path("id").asLong();
        boolean self = id == me.id();
        boolean mayEdit = me.manages() && (me.owner() || !user.path("role").asString().equals("owner")) || self;
        if (!mayEdit) {
            Raw content = f("""
                    <dl class="facts">
                      <dt>Name</dt><dd>%s</dd><dt>Email</dt><dd>%s</dd><dt>Role</dt><dd>%s</dd>
                      <dt>State</dt><dd>%s</dd><dt>Created</dt><dd>%s</dd>
                    </dl>
                    <p><a href="/users">All users</a></p>
                    """, user.path("name").asString(), user.path("email").asString("—"),
                    user.path("role").asString(), user.path("disabled").asBoolean() ? "disabled" : "active",
                    Html.raw(Time.tag(user.path("created_at").asString())));
            return Answer.page(status, Layout.page(me, user.path("name").asString(), "/users", content));
        }
        Raw roleAndState = Html.when(me.manages() && !self, f("%s%s",
                fields.select("role", "Role", me.owner() ? Fields.ROLES : Fields.ROLES.subList(1, 4), "member"),
                fields.checkbox("disabled", "Disabled (cannot sign in; its sessions end)", false)));
        Raw current = Html.when(self, fields.input("current_password", "Your current password (to change it)",
                "password", "autocomplete=\"current-password\""));
        Raw delete = Html.when(me.manages() && !self, f("""
                <section aria-labelledby="danger" class="danger">
                  <h2 id="danger">Delete</h2>
                  <form method="post" action="/users/%s/delete" data-confirm="Delete the user %s? Their sessions, tokens and team memberships go too.">
                    %s<button type="submit" class="danger">Delete user</button>
                  </form>
                </section>
                """, id, user.path("name").asString(), Layout.csrf(me)));
        Raw content = f("""
                %s%s
                <form method="post" action="/users/%s" class="card grid-form">
                  %s%s%s%s%s%s
                  <div class="actions"><button type="submit">Save</button> <a href="/users">Cancel</a></div>
                </form>
                %s
                """, Layout.notice(notice(req)), fields.alert(), id, Layout.csrf(me),
                fields.input("name", "Name", "text", "required"),
                fields.input("email", "Email", "email", ""), roleAndState, current,
                fields.input("password", "New password (leave empty to keep)", "password",
                        "autocomplete=\"new-password\""), delete);
        return Answer.page(status, Layout.page(me, "User " + user.path("name").asString(), "/users", content));
    }

    private static Answer save(Req req) {
        Me me = req.me().orElseThrow();
        String id = Req.enc(req.param("id"));
        ApiAnswer before = req.get("/api/users/" + id);
        if (!before.ok()) {
            return Errors.api(me, "/users", before);
        }
        Form form = req.form();
        boolean self = before.body().path("id").asLong() == me.id();
        ObjectNode body = AuthPages.json();
        body.put("name", form.get("name"));
        if (form.text("email").isPresent()) {
            body.put("email", form.get("email").strip());
        } else {
            body.putNull("email");
        }
        if (me.manages() && !self) {
            body.put("role", form.get("role"));
            body.put("disabled", form.has("disabled"));
        }
        if (!form.get("password").isEmpty()) {
            body.put("password", form.get("password"));
            if (self) {
                body.put("current_password", form.get("current_password"));
            }
        }
        ApiAnswer answer = req.send("PATCH", "/api/users/" + id, body);
        if (answer.ok()) {
            return Answer.redirect("/users/" + id + "?done=user-saved");
        }
        return editPage(req, before.body(), Fields.of(form).error(answer, USER_FIELDS), 422);
    }

    private static Answer delete(Req req) {
        ApiAnswer answer = req.send("DELETE", "/api/users/" + Req.enc(req.param("id")), null);
        if (answer.ok()) {
            return Answer.redirect("/users?done=user-deleted");
        }
        return Errors.api(req.me().orElseThrow(), "/users", answer);
    }

    private static Answer createTeam(Req req) {
        ObjectNode body = AuthPages.json();
        body.put("name", req.form().get("name"));
        ApiAnswer answer = req.send("POST", "/api/teams", body);
        if (answer.ok()) {
            return Answer.redirect("/teams/" + answer.body().path("id").asLong() + "?done=team-created");
        }
        return listPage(req, Fields.empty(), Fields.of(req.form()).in("team").error(answer, Set.of("name")), 422);
    }

    private static Answer team(Req req) {
        return teamPage(req, Fields.empty(), 200);
    }

    private static Answer teamPage(Req req, Fields fields, int status) {
        Me me = req.me().orElseThrow();
        String id = Req.enc(req.param("id"));
        ApiAnswer team = req.get("/api/teams/" + id);
        if (!team.ok()) {
            return Errors.api(me, "/users", team);
        }
        ApiAnswer users = req.get("/api/users");
        Map<Long, String> names = new HashMap<>();
        if (users.ok()) {
            data(users).forEach(u -> names.put(u.path("id").asLong(), u.path("name").asString()));
        }
        JsonNode t = team.body();
        String teamName = t.path("name").asString();
        List<Long> memberIds = new ArrayList<>();
        t.path("members").forEach(m -> memberIds.add(m.asLong()));
        Raw members = Html.join(memberIds.stream().map(m -> f("""
                <li>%s %s</li>
                """, names.getOrDefault(m, "#" + m), Html.when(me.manages(), f("""
                <form method="post" action="/teams/%s/members/%s/delete" class="inline" data-confirm="Remove %s from %s?">
                  %s<button type="submit" class="link danger">Remove</button>
                </form>""", id, m, names.getOrDefault(m, "#" + m), teamName, Layout.csrf(me))))));
        List<String[]> candidates = names.entrySet().stream().filter(e -> !memberIds.contains(e.getKey()))
                .sorted(Map.Entry.comparingByValue())
                .map(e -> new String[] {Long.toString(e.getKey()), e.getValue()}).toList();
        Raw manage = Html.when(me.manages(), f("""
                %s
                <form method="post" action="/teams/%s/members" class="card inline-form">
                  %s%s
                  <button type="submit">Add to team</button>
                </form>
                <h2>Rename</h2>
                <form method="post" action="/teams/%s" class="card inline-form">
                  %s%s
                  <button type="submit">Rename</button>
                </form>
                <section class="danger" aria-labelledby="danger">
                  <h2 id="danger">Delete</h2>
                  <form method="post" action="/teams/%s/delete" data-confirm="Delete the team %s? Its members stay users.">
                    %s<button type="submit" class="danger">Delete team</button>
                  </form>
                </section>
                """, fields.alert(), id, Layout.csrf(me),
                candidates.isEmpty() ? Html.raw("<p class=\"hint\">Every user is in this team.</p>")
                        : fields.select("user_id", "Add a member", candidates, ""),
                id, Layout.csrf(me), Fields.of(Form.of(Map.of("name", teamName))).input("name", "Name", "text",
                        "required"), id, teamName, Layout.csrf(me)));
        Raw content = f("""
                %s
                <h2>Members</h2>
                <ul class="members">%s</ul>
                %s
                <p><a href="/users">All users and teams</a></p>
                """, Layout.notice(notice(req)), memberIds.isEmpty() ? Html.raw("<li>No members yet.</li>") : members,
                manage);
        return Answer.page(status, Layout.page(me, "Team " + teamName, "/users", content));
    }

    private static Answer renameTeam(Req req) {
        ObjectNode body = AuthPages.json();
        body.put("name", req.form().get("name"));
        String id = Req.enc(req.param("id"));
        ApiAnswer answer = req.send("PATCH", "/api/teams/" + id, body);
        if (answer.ok()) {
            return Answer.redirect("/teams/" + id + "?done=team-saved");
        }
        return teamPage(req, Fields.empty().error(answer, Set.of()), 422);
    }

    private static Answer deleteTeam(Req req) {
        ApiAnswer answer = req.send("DELETE", "/api/teams/" + Req.enc(req.param("id")), null);
        if (answer.ok()) {
            return Answer.redirect("/users?done=team-deleted");
        }
        return Errors.api(req.me().orElseThrow(), "/users", answer);
    }

    private static Answer addMember(Req req) {
        String id = Req.enc(req.param("id"));
        ApiAnswer answer = req.send("PUT", "/api/teams/" + id + "/members/" + Req.enc(req.form().get("user_id")),
                null);
        if (answer.ok()) {
            return Answer.redirect("/teams/" + id + "?done=member-added");
        }
        return teamPage(req, Fields.empty().error(answer, Set.of()), 422);
    }

    private static Answer removeMember(Req req) {
        String id = Req.enc(req.param("id"));
        ApiAnswer answer = req.send("DELETE", "/api/teams/" + id + "/members/" + Req.enc(req.param("user_id")),
                null);
        if (answer.ok()) {
            return Answer.redirect("/teams/" + id + "?done=member-removed");
        }
        return teamPage(req, Fields.empty().error(answer, Set.of()), 422);
    }
}
