package dev.junction.protocol;

/**
 * Counts the tokens of a text that arrives in pieces (an answer's deltas) without keeping it: the
 * pieces gather in a small buffer, and whenever it holds {@value #HOLD} characters the part up to
 * its last word boundary is counted and dropped. BPE pre-tokenisation splits before a space that
 * starts a word, so counting at those boundaries gives the count of the whole text, or within a
 * token per cut where a cut falls inside a run without spaces (long CJK text, code); the buffer
 * never holds more than about twice {@value #HOLD} characters, whatever the answer's length.
 * Counting is deferred: a request whose provider reports usage never tokenises anything, and text
 * given as the JSON events that carry it ({@link #addJson}) is not even read out of them until a
 * count is asked for (or {@value #JSON_HOLD} bytes of them wait), so a stream whose provider reports
 * its usage parses each event once, in its scanner, not twice.
 *
 * <p>Used by one request thread.
 */
public final class TextTally {

    static final int HOLD = 8192;

    /** Bytes of JSON events kept unread at most; past this they are read into the count. */
    static final int JSON_HOLD = 64 << 10;

    private final StringBuilder pending = new StringBuilder();
    /** No word boundary lies in {@code pending} below this index: the last search found none there. */
    private int searchedBelow = 1;
    private long tokens;
    private long characters;
    private java.util.List<byte[]> json;
    private java.util.Set<String> jsonFields;
    private int jsonBytes;

    /**
     * Adds the text of a JSON event: the string values of {@code fields} anywhere in it, as
     * {@link TextFields#collect} reads them, read only when a count is asked for.
     */
    public void addJson(byte[] event, java.util.Set<String> fields) {
        if (fields.isEmpty() || event.length == 0) {
            return;
        }
        if (jsonFields != null && !jsonFields.equals(fields)) {
            readJson();
        }
        if (json == null) {
            json = new java.util.ArrayList<>(32);
        }
        jsonFields = fields;
        json.add(event);
        jsonBytes += event.length;
        if (jsonBytes >= JSON_HOLD) {
            readJson();
        }
    }

    private void readJson() {
        if (json == null) {
            return;
        }
        java.util.List<byte[]> events = json;
        java.util.Set<String> fields = jsonFields;
        json = null;
        jsonBytes = 0;
        for (byte[] event : events) {
            TextFields.collect(event, fields, this);
        }
    }

    /** Adds a piece of delivered text. */
    public void add(CharSequence text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        pending.append(text);
        characters += text.length();
        if (pending.length() >= HOLD) {
            drain();
        }
    }

    /** Whether any text was added. */
    public boolean isEmpty() {
        readJson();
        return characters == 0;
    }

    /** Characters added so far. */
    public long characters() {
        readJson();
        return characters;
    }

    /** The tokens of everything added so far. */
    public long tokens() {
        readJson();
        if (!pending.isEmpty()) {
            tokens += Tokens.count(pending.toString());
            pending.setLength(0);
            searchedBelow = 1;
        }
        return tokens;
    }

    private void drain() {
        int cut = boundary();
        if (cut <= 0) {
            if (pending.length() < 2 * HOLD) {
                return;
            }
            cut = pending.length();
        }
        tokens += Tokens.count(pending.substring(0, cut));
        pending.delete(0, cut);
        searchedBelow = 1;
    }

    /**
     * The index of the last space that starts a word (a space after a non-space), or -1. Only what
     * came since the last search that found none is searched (and its last character again, which
     * had no successor then), so a long run without spaces costs linear time, not quadratic.
     */
    private int boundary() {
        for (int i = pending.length() - 1; i >= searchedBelow; i--) {
            if (pending.charAt(i) == ' ' && !Character.isWhitespace(pending.charAt(i - 1))
                    && i + 1 < pending.length() && !Character.isWhitespace(pending.charAt(i + 1))) {
                return i;
            }
        }
        searchedBelow = Math.max(1, pending.length() - 1);
        return -1;
    }
}
