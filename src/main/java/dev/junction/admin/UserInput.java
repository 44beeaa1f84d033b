package dev.junction.admin;

import dev.junction.governance.Passwords;
import dev.junction.governance.Role;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The rules for the user fields of a request body; each failure names its field. */
final class UserInput {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private UserInput() {
    }

    /** A login name, lower case: letters, digits, '.', '_', '-', up to 64 characters. */
    static String name(String value) {
        String name = value.strip().toLowerCase(Locale.ROOT);
        if (!NAME.matcher(name).matches()) {
            throw ApiException.invalid("name", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a "
                    + "letter or digit");
        }
        return name;
    }

    static Optional<String> email(Optional<String> value) {
        return value.map(v -> {
            String email = v.strip().toLowerCase(Locale.ROOT);
            if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
                throw ApiException.invalid("email", "is not an email address");
            }
            return email;
        });
    }

    static String password(String field, String value) {
        Passwords.problem(value).ifPresent(problem -> {
            throw ApiException.invalid(field, problem);
        });
        return value;
    }

    static Role role(String value) {
        return Role.parse(value).orElseThrow(() -> ApiException.invalid("role",
                "must be one of owner, admin, member, viewer"));
    }
}
