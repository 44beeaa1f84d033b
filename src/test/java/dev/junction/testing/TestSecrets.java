package dev.junction.testing;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The secrets the tests hand the gateway, as {@link NoSecretsInLogsIT} looks for them in every log
 * line of the test run. Gateway and provider keys are recognised by their shape, so a test may make
 * up any {@code sk-...} key (the convention of every test and fake here); a secret without such a
 * shape (an admin password, a session token) belongs in {@link #VALUES}.
 */
public final class TestSecrets {

    /**
     * Key shapes: {@code sk-...} (the tests' gateway and fake provider keys, OpenAI's and Anthropic's
     * real ones), Google API keys ({@code AIza...}), and a bearer credential written out in full.
     */
    public static final List<Pattern> SHAPES = List.of(
            Pattern.compile("(?<![A-Za-z0-9_-])sk-[A-Za-z0-9][A-Za-z0-9_-]{2,}"),
            Pattern.compile("(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{20,}"),
            Pattern.compile("(?i)bearer\\s+[A-Za-z0-9._~+/-]{8,}"));

    /** Secrets of no recognisable shape that tests use; add yours here and use the constant in the test. */
    public static final List<String> VALUES = List.of();

    private TestSecrets() {
    }

    /** The first secret in {@code line}, or null. */
    public static String find(String line) {
        for (Pattern shape : SHAPES) {
            var match = shape.matcher(line);
            if (match.find()) {
                return match.group();
            }
        }
        for (String value : VALUES) {
            if (line.contains(value)) {
                return value;
            }
        }
        return null;
    }
}
