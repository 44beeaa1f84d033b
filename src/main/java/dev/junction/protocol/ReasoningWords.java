package dev.junction.protocol;

import dev.junction.core.Needs;

/**
 * Finds the words that mark a request as asking for reasoning rather than a quick answer
 * ({@code prove}, {@code step by step}, {@code refactor}, {@code trade-off}, ...) in a string's
 * characters, for complexity routing. A word counts where it starts a word (so {@code improve} is
 * not {@code prove}), case-insensitively, and may continue ({@code optimi} finds {@code optimize} and
 * {@code optimisation}). Only the first {@link #SCANNED} characters of a string are read: the
 * question is usually there, and a pasted file must not cost a scan of all of it.
 */
final class ReasoningWords {

    /** Characters of one string read at most. */
    static final int SCANNED = 4_096;

    /** The stems, lower case, grouped by first letter for a cheap dispatch. */
    static final String[] STEMS = {
        "algorithm", "analy", "architect", "asymptotic", "concurren", "complexity", "debug", "deriv",
        "design a", "design an", "edge case", "explain why", "formal", "implement", "invariant", "optimi",
        "proof", "prove", "race condition", "reason about", "refactor", "root cause", "step by step",
        "step-by-step", "theorem", "think through", "trade-off", "tradeoff",
    };

    private static final char[][][] BY_LETTER = index();

    private ReasoningWords() {
    }

    private static char[][][] index() {
        char[][][] table = new char[26][][];
        for (char c = 'a'; c <= 'z'; c++) {
            final char first = c;
            table[c - 'a'] = java.util.Arrays.stream(STEMS).filter(s -> s.charAt(0) == first).map(String::toCharArray)
                    .toArray(char[][]::new);
        }
        return table;
    }

    /** {@code found} plus the reasoning words in {@code text[offset, offset+length)}, at most {@link Needs#MAX_KEYWORDS}. */
    static int count(char[] text, int offset, int length, int found) {
        int end = offset + Math.min(length, SCANNED);
        boolean wordStart = true;
        for (int i = offset; i < end && found < Needs.MAX_KEYWORDS; i++) {
            char c = text[i];
            char lower = (char) (c | 0x20);
            boolean letter = lower >= 'a' && lower <= 'z';
            if (wordStart && letter) {
                for (char[] stem : BY_LETTER[lower - 'a']) {
                    if (matches(text, i, end, stem)) {
                        found++;
                        break;
                    }
                }
            }
            wordStart = !letter && !(c >= '0' && c <= '9') && c != '_';
        }
        return found;
    }

    private static boolean matches(char[] text, int at, int end, char[] stem) {
        if (end - at < stem.length) {
            return false;
        }
        for (int k = 1; k < stem.length; k++) {
            char c = text[at + k];
            char want = stem[k];
            if (c != want && (want < 'a' || want > 'z' || (char) (c | 0x20) != want)) {
                return false;
            }
        }
        return true;
    }
}
