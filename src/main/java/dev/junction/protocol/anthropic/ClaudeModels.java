package dev.junction.protocol.anthropic;

import dev.junction.core.canonical.ReasoningEffort;

/**
 * What the gateway must know about Claude model generations, read from the model name: the
 * {@code max_tokens} to send when the client gave none (Anthropic requires one), and whether the
 * model takes adaptive thinking ({@code thinking.type: adaptive} plus an effort, Claude 4.6 and
 * later) or a fixed {@code budget_tokens} (earlier models).
 */
final class ClaudeModels {

    private ClaudeModels() {
    }

    /** A default large enough not to cut ordinary answers, within every model's output limit. */
    static int defaultMaxTokens(String model) {
        Version version = Version.of(model);
        if (version.major() < 3 || version.major() == 3 && version.minor() == 0) {
            return 4096;
        }
        if (version.major() == 3 && version.minor() == 5) {
            return 8192;
        }
        return 16384;
    }

    static boolean adaptiveThinking(String model) {
        if (model.contains("mythos")) {
            return true;
        }
        Version version = Version.of(model);
        return version.major() > 4 || version.major() == 4 && version.minor() >= 6;
    }

    /** Thinking budget for models that take {@code budget_tokens} (at least Anthropic's minimum of 1024). */
    static int budget(ReasoningEffort effort) {
        return switch (effort) {
            case NONE, MINIMAL -> 1024;
            case LOW -> 2048;
            case MEDIUM -> 8192;
            case HIGH -> 16384;
            case XHIGH -> 32000;
        };
    }

    /** The {@code output_config.effort} for adaptive thinking. */
    static String effort(ReasoningEffort effort) {
        return switch (effort) {
            case NONE, MINIMAL, LOW -> "low";
            case MEDIUM -> "medium";
            case HIGH, XHIGH -> "high";
        };
    }

    /**
     * A Claude version from names such as {@code claude-sonnet-4-5-20250929},
     * {@code claude-3-7-sonnet-latest} or {@code claude-opus-4-20250514}: the first number is the
     * major version, a following short number the minor one (an 8-digit date is not).
     */
    record Version(int major, int minor) {
        static Version of(String model) {
            int major = -1;
            int start = 0;
            for (int i = 0; i <= model.length(); i++) {
                if (i < model.length() && !separator(model.charAt(i))) {
                    continue;
                }
                int number = number(model, start, i);
                start = i + 1;
                if (major < 0) {
                    major = number;
                } else if (number >= 0) {
                    return new Version(major, number);
                } else {
                    break;
                }
            }
            return new Version(Math.max(major, 0), 0);
        }

        private static boolean separator(char c) {
            return c == '-' || c == '.' || c == '@';
        }

        /** The token {@code model[from, to)} as a number of at most 3 digits, else -1. */
        private static int number(String model, int from, int to) {
            if (to == from || to - from > 3) {
                return -1;
            }
            for (int i = from; i < to; i++) {
                if (!Character.isDigit(model.charAt(i))) {
                    return -1;
                }
            }
            return Integer.parseInt(model, from, to, 10);
        }
    }
}
