package dev.junction.relay;

/**
 * Trims what a continuation repeats of the answer the client already has. A model asked to go on
 * (with or without prefill) sometimes starts by repeating the last words it was shown, or the
 * whitespace a provider stripped from the prefill; the continuation's first text is held until
 * there is enough of it to compare with the delivered tail, then the longest prefix that equals a
 * suffix of the tail is dropped: any whitespace-only match, else at least {@value #MIN_OVERLAP}
 * characters (or the whole tail), so that a legitimate continuation that happens to start with
 * the tail's last letter is left alone.
 */
final class Overlap {

    /** The longest overlap looked for; the continuation's text is held until it is this long. */
    static final int WINDOW = 256;
    static final int MIN_OVERLAP = 8;

    private final String tail;
    private StringBuilder held = new StringBuilder();

    Overlap(CharSequence delivered) {
        int from = Math.max(0, delivered.length() - WINDOW);
        this.tail = delivered.subSequence(from, delivered.length()).toString();
    }

    /** Whether some of the continuation's text is held, waiting for the comparison. */
    boolean holding() {
        return held != null && !held.isEmpty();
    }

    /**
     * Takes the continuation's next text; returns what may be shown now (empty while holding).
     */
    String offer(String delta) {
        if (held == null) {
            return delta;
        }
        held.append(delta);
        return held.length() >= Math.max(1, tail.length()) ? flush() : "";
    }

    /** Decides with what is held (at a non-text event or the end), returns what to show. */
    String flush() {
        if (held == null) {
            return "";
        }
        String text = held.toString();
        held = null;
        return text.substring(overlap(tail, text));
    }

    /** How many leading characters of {@code next} repeat the end of {@code tail}. */
    static int overlap(String tail, String next) {
        int minimum = Math.min(MIN_OVERLAP, tail.length());
        for (int k = Math.min(tail.length(), next.length()); k >= 1; k--) {
            if (tail.regionMatches(tail.length() - k, next, 0, k) && (k >= minimum || next.substring(0, k).isBlank())) {
                return k;
            }
        }
        return 0;
    }
}
