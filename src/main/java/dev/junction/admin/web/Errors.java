package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.ApiAnswer;

/** Error pages: a status and a sentence, with a way back. */
final class Errors {

    /** What a page or a read that failed on the gateway itself says (the log has the exception). */
    static final String INTERNAL = "Something went wrong on the gateway; the log has the details.";

    private Errors() {
    }

    static Answer page(int status, String message) {
        String title = switch (status) {
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            default -> "Error";
        };
        return Answer.page(status, Layout.bare(title, f("""
                <p>%s</p>
                <p><a href="/">Back to the dashboard</a></p>
                """, message)));
    }

    /** A page for a failed API read, inside the shell. */
    static Answer api(Me me, String section, ApiAnswer answer) {
        String title = answer.status() == 403 ? "Not allowed" : answer.status() == 404 ? "Not found" : "Error";
        return Answer.page(answer.status() >= 400 ? answer.status() : 500,
                Layout.page(me, title, section, Layout.alert(answer.message())));
    }
}
