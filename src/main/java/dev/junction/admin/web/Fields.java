package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.ApiAnswer;
import dev.junction.admin.web.Html.Raw;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A form's values and errors, and its fields rendered with a label, the error right below the
 * field ({@code aria-describedby}, {@code aria-invalid}) and the value kept.
 */
final class Fields {

    private final Form values;
    private final Map<String, String> errors = new HashMap<>();
    private String general = "";
    private String scope = "";

    private Fields(Form values) {
        this.values = values;
    }

    static Fields empty() {
        return new Fields(Form.EMPTY);
    }

    static Fields of(Form values) {
        return new Fields(values);
    }

    /** Scopes the fields' element ids, for a page with two forms that share a field name. */
    Fields in(String scope) {
        this.scope = scope + "-";
        return this;
    }

    private String id(String name) {
        return "f-" + scope + name;
    }

    /**
     * Puts an API error next to the field it names when the form has it, else above the form; a
     * config error's every problem ({@code error.problems[]}, each with a JSON pointer) goes next
     * to the field its pointer starts with.
     */
    Fields error(ApiAnswer answer, Set<String> fields) {
        var problems = answer.body().path("error").path("problems");
        if (problems.isArray() && !problems.isEmpty()) {
            for (var problem : problems) {
                String pointer = problem.path("param").asString("");
                String field = pointer.startsWith("/") ? pointer.substring(1).split("/", 2)[0] : pointer;
                String message = problem.path("message").asString("");
                if (message.startsWith(pointer + ": ")) {
                    message = message.substring(pointer.length() + 2);
                }
                if (field.equals("api_key")) {
                    field = "api_keys";
                }
                if (fields.contains(field)) {
                    errors.merge(field, message, (a, b) -> a + "; " + b);
                } else {
                    general = general.isEmpty() ? problem.path("message").asString("") : general + " " + message;
                }
            }
            return this;
        }
        String message = answer.message();
        if (answer.param().isPresent() && fields.contains(answer.param().get())) {
            errors.put(answer.param().get(), message);
        } else {
            general = message;
        }
        return this;
    }

    /** An error of the whole form, shown above it. */
    Fields general(String message) {
        general = message;
        return this;
    }

    Fields error(String field, String message) {
        errors.put(field, message);
        return this;
    }

    boolean hasErrors() {
        return !errors.isEmpty() || !general.isEmpty();
    }

    /** The form-wide error, as an alert. */
    Raw alert() {
        return Layout.alert(general);
    }

    String value(String name) {
        return values.get(name);
    }

    /** A text-like input ({@code text}, {@code email}, {@code password}, {@code number}, {@code url}). */
    Raw input(String name, String label, String type, String extra) {
        String id = id(name);
        String error = errors.get(name);
        String value = type.equals("password") ? "" : values.get(name);
        return f("""
                <div class="field%s">
                  <label for="%s">%s</label>
                  <input id="%s" name="%s" type="%s" value="%s"%s%s>
                  %s
                </div>
                """, Html.raw(error != null ? " invalid" : ""), id, label, id, name, type, value,
                Html.raw(error != null ? " aria-invalid=\"true\" aria-describedby=\"" + id + "-error\"" : ""),
                Html.raw(extra.isEmpty() ? "" : " " + extra), errorText(id, error));
    }

    /** A multi-line text field. */
    Raw textarea(String name, String label, String hint, String extra) {
        String id = id(name);
        String error = errors.get(name);
        return f("""
                <div class="field%s">
                  <label for="%s">%s</label>
                  <textarea id="%s" name="%s" rows="3"%s%s>%s</textarea>
                  %s%s
                </div>
                """, Html.raw(error != null ? " invalid" : ""), id, label, id, name,
                Html.raw(error != null ? " aria-invalid=\"true\" aria-describedby=\"" + id + "-error\"" : ""),
                Html.raw(extra.isEmpty() ? "" : " " + extra), values.get(name),
                hint.isEmpty() ? Html.EMPTY : f("<p class=\"hint\">%s</p>", hint), errorText(id, error));
    }

    /** The error of one field, if any (for editors that render their own markup). */
    String errorOf(String name) {
        return errors.get(name);
    }

    Raw errorFor(String name) {
        return errorText(id(name), errors.get(name));
    }

    Form form() {
        return values;
    }

    /** A select of {@code options} (value, label pairs), the current value selected. */
    Raw select(String name, String label, List<String[]> options, String fallback) {
        String id = id(name);
        String error = errors.get(name);
        String current = values.has(name) ? values.get(name) : fallback;
        Raw opts = Html.join(options.stream().map(o -> f("<option value=\"%s\"%s>%s</option>", o[0],
                Html.raw(o[0].equals(current) ? " selected" : ""), o[1])));
        return f("""
                <div class="field%s">
                  <label for="%s">%s</label>
                  <select id="%s" name="%s"%s>%s</select>
                  %s
                </div>
                """, Html.raw(error != null ? " invalid" : ""), id, label, id, name,
                Html.raw(error != null ? " aria-invalid=\"true\" aria-describedby=\"" + id + "-error\"" : ""), opts,
                errorText(id, error));
    }

    /** A checkbox, checked when the form had it (or by {@code fallback} on a fresh form). */
    Raw checkbox(String name, String label, boolean fallback) {
        String id = id(name);
        boolean checked = values == Form.EMPTY ? fallback : values.has(name);
        return f("""
                <div class="field check">
                  <input id="%s" name="%s" type="checkbox" value="on"%s>
                  <label for="%s">%s</label>
                  %s
                </div>
                """, id, name, Html.raw(checked ? " checked" : ""), id, label, errorText(id, errors.get(name)));
    }

    private static Raw errorText(String id, String error) {
        return error == null ? Html.EMPTY
                : f("<p class=\"field-error\" id=\"%s-error\">%s</p>", id, error);
    }

    static final List<String[]> ROLES = List.of(new String[] {"owner", "Owner"}, new String[] {"admin", "Admin"},
            new String[] {"member", "Member"}, new String[] {"viewer", "Viewer"});
}
