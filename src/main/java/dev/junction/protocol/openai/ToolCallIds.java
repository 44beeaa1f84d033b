package dev.junction.protocol.openai;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Tool-call ids between the canonical model and OpenAI-style providers. OpenAI rejects ids longer
 * than 40 characters ({@code Invalid 'messages[n].tool_calls[0].id': string too long}), which
 * ids minted elsewhere exceed (Gemini calls carry their thought signature in the id). Such an id
 * is replaced by a short digest of itself, the same for the call and for the tool message that
 * answers it, so they keep matching. Providers that give no id get one made from the answer's seed.
 */
final class ToolCallIds {

    static final int MAX_LENGTH = 40;

    private ToolCallIds() {
    }

    /** The id to send: as is when short enough, else {@code call_} and 32 hex digits of its SHA-256. */
    static String outgoing(String id) {
        if (!id.isEmpty() && id.length() <= MAX_LENGTH) {
            return id;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return "call_" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** An id for the {@code index}-th call of an answer whose provider gave none: unique per answer, stable in it. */
    static String generated(String seed, int index) {
        return "call_" + seed + "_" + index;
    }
}
