package dev.junction.core;

/**
 * What a request asks of the model that serves it, found by one scan of the client's body: the
 * features it uses as a bitmask ({@link #TOOLS}, {@link #VISION}, {@link #JSON_SCHEMA},
 * {@link #REASONING}), its estimated prompt size and the output it asks for. Routing compares it
 * with each candidate's precomputed capability mask, so the check per candidate is a few integer
 * operations.
 *
 * @param mask the features used, as bits
 * @param promptTokens estimated prompt tokens (about four characters of text per token; images and
 *     documents count a fixed amount each, not their base64 size)
 * @param maxOutput the output tokens the client asked for at most; 0 when it did not say
 * @param session the conversation's id when the client sent one ({@code metadata.user_id} of Claude
 *     Code, {@code prompt_cache_key} of Codex); null otherwise
 * @param turns messages in the conversation (for complexity routing)
 * @param code whether the prompt contains code (a fenced block)
 * @param keywords reasoning words found in the conversation's text ({@code prove}, {@code step by step},
 *     {@code refactor}, ...), counted up to {@link #MAX_KEYWORDS} (for complexity routing)
 * @param units what a media request is billed by, as the request gives it (images of a size and
 *     quality, characters of speech, seconds of audio, searches), for {@code cheapest} to compare
 *     the channels' unit prices; null for a request billed by tokens
 */
public record Needs(int mask, long promptTokens, long maxOutput, String session, int turns, boolean code,
        int keywords, Units units) {

    /** Reasoning words are counted up to this many. */
    public static final int MAX_KEYWORDS = 3;

    public static final int TOOLS = 1;
    public static final int VISION = 1 << 1;
    public static final int JSON_SCHEMA = 1 << 2;
    public static final int REASONING = 1 << 3;

    /** A request that needs nothing in particular. */
    public static final Needs NONE = new Needs(0, 0, 0, null, 0, false, 0, null);

    /** Needs of a request billed by tokens. */
    public Needs(int mask, long promptTokens, long maxOutput, String session, int turns, boolean code,
            int keywords) {
        this(mask, promptTokens, maxOutput, session, turns, code, keywords, null);
    }

    /** The needs of a media request billed by {@code units} (nothing else asked of the model). */
    public static Needs billedBy(Units units) {
        return new Needs(0, 0, 0, null, 0, false, 0, units);
    }

    /** Needs without reasoning words counted. */
    public Needs(int mask, long promptTokens, long maxOutput, String session, int turns, boolean code) {
        this(mask, promptTokens, maxOutput, session, turns, code, 0);
    }

    /** Whether the request is billed per unit other than tokens (images, characters, seconds, searches). */
    public boolean billedByUnits() {
        return units != null && !units.isTokens();
    }

    /** Whether every bit of {@code bits} is asked for. */
    public boolean has(int bits) {
        return (mask & bits) == bits;
    }

    /** The same needs with {@code session} as the conversation id (a header wins over the body). */
    public Needs withSession(String id) {
        return new Needs(mask, promptTokens, maxOutput, id, turns, code, keywords, units);
    }

    /** The config names of the features in {@code bits}, for messages: {@code tools, vision}. */
    public static String describe(int bits) {
        StringBuilder text = new StringBuilder();
        append(text, bits, TOOLS, "tools");
        append(text, bits, VISION, "vision");
        append(text, bits, JSON_SCHEMA, "json_schema");
        append(text, bits, REASONING, "reasoning");
        return text.toString();
    }

    private static void append(StringBuilder text, int bits, int bit, String name) {
        if ((bits & bit) != 0) {
            text.append(text.isEmpty() ? "" : ", ").append(name);
        }
    }
}
