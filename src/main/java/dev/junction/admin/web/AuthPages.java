package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.ApiAnswer;
import dev.junction.admin.web.Dashboard.PageRoute;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** First-run set-up (create the owner), sign-in and sign-out. */
final class AuthPages {

    private AuthPages() {
    }

    static List<PageRoute> routes() {
        return List.of(
                new PageRoute("GET", "/setup", true, AuthPages::setupForm),
                new PageRoute("POST", "/setup", true, AuthPages::setup),
                new PageRoute("GET", "/login", true, AuthPages::loginForm),
                new PageRoute("POST", "/login", true, AuthPages::login),
                new PageRoute("POST", "/logout", false, AuthPages::logout));
    }

    static ObjectNode json() {
        return JsonNodeFactory.instance.objectNode();
    }

    static boolean setupNeeded(Req req) {
        return req.get("/api/setup").body().path("needed").asBoolean(false);
    }

    private static Answer setupForm(Req req) {
        if (!setupNeeded(req)) {
            return Answer.redirect("/login");
        }
        return Answer.page(setupPage(Fields.empty()));
    }

    private static String setupPage(Fields fields) {
        return Layout.bare("Welcome: create the owner", f("""
                <p>This gateway has no users yet. The account you create now is its <strong>owner</strong>:
                it can do everything, including adding the other users.</p>
                %s
                <form method="post" action="/setup" class="card stack">
                  %s%s%s%s
                  <button type="submit">Create the owner and sign in</button>
                </form>
                """, fields.alert(),
                fields.input("name", "Name", "text", "required autocomplete=\"username\" autofocus"),
                fields.input("email", "Email (optional)", "email", "autocomplete=\"email\""),
                fields.input("password", "Password (at least 8 characters)", "password",
                        "required autocomplete=\"new-password\""),
                fields.input("confirm", "Password again", "password", "required autocomplete=\"new-password\"")));
    }

    private static Answer setup(Req req) {
        Form form = req.form();
        Fields fields = Fields.of(form);
        if (!form.get("password").equals(form.get("confirm"))) {
            return Answer.page(422, setupPage(fields.error("confirm", "The two passwords differ.")));
        }
        ObjectNode body = json();
        body.put("name", form.get("name"));
        form.text("email").ifPresent(e -> body.put("email", e));
        body.put("password", form.get("password"));
        ApiAnswer answer = req.send("POST", "/api/setup", body);
        if (answer.ok()) {
            return Answer.redirect("/").withHeaders(answer.headers());
        }
        if (answer.code().equals("setup_done")) {
            return Answer.redirect("/login");
        }
        return Answer.page(422, setupPage(fields.error(answer, Set.of("name", "email", "password"))));
    }

    private static Answer loginForm(Req req) {
        if (setupNeeded(req)) {
            return Answer.redirect("/setup");
        }
        if (req.me().isPresent()) {
            return Answer.redirect("/");
        }
        return Answer.page(loginPage(Fields.of(Form.of(java.util.Map.of("next", req.query("next").orElse(""))))));
    }

    private static String loginPage(Fields fields) {
        return Layout.bare("Sign in", f("""
                %s
                <form method="post" action="/login" class="card stack">
                  <input type="hidden" name="next" value="%s">
                  %s%s
                  <button type="submit">Sign in</button>
                </form>
                """, fields.alert(), fields.value("next"),
                fields.input("name", "Name or email", "text", "required autocomplete=\"username\" autofocus"),
                fields.input("password", "Password", "password", "required autocomplete=\"current-password\"")));
    }

    private static Answer login(Req req) {
        Form form = req.form();
        ObjectNode body = json();
        body.put("name", form.get("name"));
        body.put("password", form.get("password"));
        ApiAnswer answer = req.send("POST", "/api/login", body);
        if (answer.ok()) {
            return Answer.redirect(safeNext(form.get("next"))).withHeaders(answer.headers());
        }
        Fields fields = Fields.of(form);
        if (answer.param().isPresent()) {
            fields.error(answer, Set.of("name", "password"));
        } else {
            fields.error(answer, Set.of());
        }
        return Answer.page(answer.status() == 429 ? 429 : 422, loginPage(fields));
    }

    /** A path of this dashboard to go back to after sign-in; anything else (another site) goes home. */
    static String safeNext(String next) {
        if (next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") && !next.startsWith("/api/")
                && next.chars().noneMatch(c -> c < 0x21 || c == '\\')) {
            return next;
        }
        return "/";
    }

    private static Answer logout(Req req) {
        ApiAnswer answer = req.send("POST", "/api/logout", null);
        if (!answer.ok()) {
            return Errors.page(answer.status(), answer.message());
        }
        return Answer.redirect("/login").withHeaders(answer.headers());
    }
}
