package dev.junction.routing;

import dev.junction.config.RoutingConfig.Complexity;
import dev.junction.core.Needs;
import java.util.ArrayList;
import java.util.List;

/**
 * The rule-based complexity classifier of complexity routing: a score from what one scan of the
 * request found ({@link Needs}), compared with the model's {@code threshold}. No text is read here
 * and nothing is allocated unless the explanation is asked for, so a verdict costs a few integer
 * operations. The rules (points each):
 * <ul>
 *   <li>tools offered: 3 (an agent's turn: the strong model)</li>
 *   <li>a reasoning request (thinking, {@code reasoning_effort}): 3</li>
 *   <li>a fenced code block: 3</li>
 *   <li>a long prompt (at least {@code long_prompt} tokens): 3, and 1 more from four times that</li>
 *   <li>a deep conversation (at least {@code deep_conversation} messages): 3</li>
 *   <li>reasoning words ({@code prove}, {@code step by step}, {@code refactor}, ...): 3 for the first, 1 more
 *       for a second</li>
 *   <li>images or documents: 1; a JSON schema asked: 1</li>
 * </ul>
 * A request scoring at least the threshold (default 3) is hard: with the default, any one strong signal
 * makes it hard and the weak ones (images, a schema) only together with another; a threshold of 4 or
 * more asks for two signals. The points were set against the labelled set in the tests (see
 * {@code ComplexityRulesTest}). A conversation's whole history comes
 * with each turn, so the score only grows as it goes on (code, length, depth and words stay); with a
 * session id, a conversation that was once hard also stays hard.
 */
public final class ComplexityRules {

    static final int TOOLS = 1;
    static final int REASONING = 1 << 1;
    static final int CODE = 1 << 2;
    static final int LONG = 1 << 3;
    static final int VERY_LONG = 1 << 4;
    static final int DEEP = 1 << 5;
    static final int WORDS = 1 << 6;
    static final int MEDIA = 1 << 7;
    static final int SCHEMA = 1 << 8;
    static final int STAYS_HARD = 1 << 9;

    private ComplexityRules() {
    }

    /**
     * What the classifier decided for one request.
     *
     * @param score the points the request scored
     * @param hard whether it goes to the hard model
     * @param signals which rules fired, as bits
     * @param target the public model it goes to
     * @param threshold the score from which a request is hard
     */
    public record Verdict(int score, boolean hard, int signals, String target, int threshold) {

        public String tier() {
            return hard ? "hard" : "simple";
        }

        /** The rules that fired, in words, with their points: {@code tools +3}, {@code code block +2}. */
        public List<String> reasons() {
            List<String> out = new ArrayList<>();
            add(out, TOOLS, "tools +3");
            add(out, REASONING, "reasoning requested +3");
            add(out, CODE, "code block +3");
            add(out, LONG, "long prompt +3");
            add(out, VERY_LONG, "very long prompt +1");
            add(out, DEEP, "deep conversation +3");
            add(out, WORDS, "reasoning words +" + (words() > 1 ? 4 : 3));
            add(out, MEDIA, "images or documents +1");
            add(out, SCHEMA, "JSON schema +1");
            add(out, STAYS_HARD, "conversation already on the hard model");
            return out;
        }

        private int words() {
            return (signals >>> 16) & 0xff;
        }

        private void add(List<String> out, int bit, String text) {
            if ((signals & bit) != 0) {
                out.add(text);
            }
        }

        /** One line for a request's path: {@code simple → glm-air (score 1 < 3)}. */
        public String describe() {
            return tier() + " → " + target + " (score " + score + (hard ? " ≥ " : " < ") + threshold + ")";
        }
    }

    /** Scores {@code needs} under {@code rules}. */
    public static Verdict classify(Needs needs, Complexity rules) {
        int score = 0;
        int signals = 0;
        int mask = needs.mask();
        if ((mask & Needs.TOOLS) != 0) {
            score += 3;
            signals |= TOOLS;
        }
        if ((mask & Needs.REASONING) != 0) {
            score += 3;
            signals |= REASONING;
        }
        if (needs.code()) {
            score += 3;
            signals |= CODE;
        }
        long prompt = needs.promptTokens();
        if (prompt >= rules.longPrompt()) {
            score += 3;
            signals |= LONG;
            if (prompt >= 4 * rules.longPrompt()) {
                score += 1;
                signals |= VERY_LONG;
            }
        }
        if (needs.turns() >= rules.deepConversation()) {
            score += 3;
            signals |= DEEP;
        }
        int words = Math.min(2, needs.keywords());
        if (words > 0) {
            score += words + 2;
            signals |= WORDS | words << 16;
        }
        if ((mask & Needs.VISION) != 0) {
            score += 1;
            signals |= MEDIA;
        }
        if ((mask & Needs.JSON_SCHEMA) != 0) {
            score += 1;
            signals |= SCHEMA;
        }
        boolean hard = score >= rules.threshold();
        return new Verdict(score, hard, signals, hard ? rules.hard() : rules.simple(), rules.threshold());
    }

    /** The verdict for a conversation that was hard before: it stays on the hard model. */
    static Verdict staysHard(Verdict verdict, Complexity rules) {
        return new Verdict(verdict.score(), true, verdict.signals() | STAYS_HARD, rules.hard(), verdict.threshold());
    }
}
