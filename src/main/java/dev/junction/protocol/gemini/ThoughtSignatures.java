package dev.junction.protocol.gemini;

import java.util.Base64;

/**
 * Gemini returns function calls without ids and with an opaque thought signature that Gemini 3
 * requires back on the next turn (a 400 otherwise). OpenAI clients keep exactly one thing of a
 * tool call whatever they drop: its id. So the gateway's tool-call id carries the signature:
 * {@code call_<seed>_<n>} or {@code call_<seed>_<n>__ts_<signature in base64url>}, all in
 * {@code [A-Za-z0-9_-]}, which every provider accepts as an id.
 */
final class ThoughtSignatures {

    private static final String MARK = "__ts_";
    /**
     * Google's documented placeholder for a function call whose signature was lost (history
     * written by another model, or by a client that rebuilt the ids): it skips the check.
     */
    static final String SKIP_VALIDATION = "skip_thought_signature_validator";

    private ThoughtSignatures() {
    }

    static String callId(String seed, int index, String signature) {
        String id = "call_" + seed + "_" + index;
        if (signature == null || signature.isEmpty()) {
            return id;
        }
        return id + MARK + signature.replace('+', '-').replace('/', '_').replace("=", "");
    }

    /** The signature a call id carries, in standard base64, or null. */
    static String signature(String callId) {
        int mark = callId.indexOf(MARK);
        if (mark < 0) {
            return null;
        }
        String encoded = callId.substring(mark + MARK.length()).replace('-', '+').replace('_', '/');
        String padded = encoded + "=".repeat((4 - encoded.length() % 4) % 4);
        try {
            Base64.getDecoder().decode(padded);
            return padded;
        } catch (IllegalArgumentException notOurs) {
            return null;
        }
    }

    /** Gemini 3 and later reject function calls without a signature. */
    static boolean required(String model) {
        String name = model.startsWith("models/") ? model.substring(7) : model;
        if (!name.startsWith("gemini-")) {
            return false;
        }
        int end = 7;
        while (end < name.length() && Character.isDigit(name.charAt(end))) {
            end++;
        }
        return end > 7 && Integer.parseInt(name.substring(7, end)) >= 3;
    }
}
