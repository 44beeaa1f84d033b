package dev.junction.protocol;

import dev.junction.core.GatewayException;
import java.util.OptionalInt;
import java.util.OptionalLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks on what a client sent that every request decoder shares, so that input the gateway cannot
 * send on is the client's 400 when it is read, and never an exception while the provider request
 * is built (which would look like a gateway or channel failure): bodies that are not UTF-8, text
 * that cannot be written as UTF-8 again (an unpaired surrogate, escaped or encoded), and numbers
 * beyond what a provider's field holds.
 */
public final class ClientJson {

    private ClientJson() {
    }

    /**
     * Parses a client's body as a JSON object for translation, after {@link #requireWellFormedText}.
     *
     * @throws GatewayException (400) when it is not one
     */
    public static ObjectNode object(byte[] body) {
        requireWellFormedText(body);
        try {
            return JsonTrees.object(body);
        } catch (MalformedAnswerException e) {
            throw GatewayException.invalidRequest("The request body is not a valid JSON object: " + e.getMessage()
                    + ".");
        }
    }

    /**
     * Refuses a body that is not UTF-8 (JSON between systems is UTF-8, RFC 8259 §8.1): a UTF-16 or
     * UTF-32 body, which the JSON parser would otherwise detect and read, so that byte offsets into
     * it (where the pass-through path splices the model) would be wrong.
     */
    public static void requireUtf8(byte[] body) {
        if (body.length >= 2 && (body[0] == 0 || body[1] == 0
                || (body[0] == (byte) 0xFE && body[1] == (byte) 0xFF)
                || (body[0] == (byte) 0xFF && body[1] == (byte) 0xFE))) {
            throw GatewayException.invalidRequest("The request body must be JSON encoded as UTF-8.");
        }
    }

    /**
     * Refuses text that a JSON writer cannot put into UTF-8 again: invalid UTF-8 (including an
     * encoded surrogate such as {@code ED A0 80}), and a {@code \}{@code u} escape of a surrogate
     * that is not half of a pair. One pass over the bytes; ASCII without escapes costs one compare.
     */
    public static void requireWellFormedText(byte[] b) {
        int n = b.length;
        int i = 0;
        while (i < n) {
            int c = b[i];
            if (c >= 0) {
                if (c == '\\' && i + 1 < n) {
                    i = b[i + 1] == 'u' ? escape(b, i) : i + 2;
                } else {
                    i++;
                }
                continue;
            }
            i = multiByte(b, i);
        }
    }

    /** Checks a {@code \}{@code uXXXX} escape at {@code at}; returns where the next character starts. */
    private static int escape(byte[] b, int at) {
        int unit = hex(b, at + 2);
        if (unit < 0xD800 || unit > 0xDFFF) {
            return at + 6;
        }
        if (unit <= 0xDBFF && at + 7 < b.length && b[at + 6] == '\\' && b[at + 7] == 'u') {
            int low = hex(b, at + 8);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                return at + 12;
            }
        }
        throw GatewayException.invalidRequest("The request body contains an unpaired surrogate escape (\\u"
                + Integer.toHexString(unit) + "): a string must be valid Unicode.");
    }

    /** The value of four hex digits at {@code at}, or -1 when they are not (the JSON parser says why). */
    private static int hex(byte[] b, int at) {
        if (at + 4 > b.length) {
            return -1;
        }
        int value = 0;
        for (int i = at; i < at + 4; i++) {
            int digit = Character.digit(b[i], 16);
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    /** Checks one multi-byte UTF-8 sequence at {@code at} (RFC 3629 §4); returns where the next starts. */
    private static int multiByte(byte[] b, int at) {
        int lead = b[at] & 0xFF;
        int length;
        int min = 0x80;
        int max = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            if (lead == 0xE0) {
                min = 0xA0;
            } else if (lead == 0xED) {
                max = 0x9F; // ED A0..BF would encode a surrogate
            }
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            if (lead == 0xF0) {
                min = 0x90;
            } else if (lead == 0xF4) {
                max = 0x8F;
            }
        } else {
            throw notUtf8(at);
        }
        if (at + length > b.length) {
            throw notUtf8(at);
        }
        int second = b[at + 1] & 0xFF;
        if (second < min || second > max) {
            throw notUtf8(at);
        }
        for (int i = at + 2; i < at + length; i++) {
            if ((b[i] & 0xC0) != 0x80) {
                throw notUtf8(at);
            }
        }
        return at + length;
    }

    private static GatewayException notUtf8(int at) {
        return GatewayException.invalidRequest("The request body is not valid UTF-8 (at byte " + at + ").");
    }

    /**
     * An optional integer field that must fit a 32-bit integer (every provider's token limits and
     * {@code top_k} do); 400 naming the field otherwise.
     */
    public static OptionalInt int32(JsonNode parent, String field, String path) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull() || !value.isNumber()) {
            return OptionalInt.empty();
        }
        if (!value.canConvertToInt()) {
            throw GatewayException.invalidRequest(path + ": " + value + " is out of range (at most "
                    + Integer.MAX_VALUE + ").");
        }
        return OptionalInt.of(value.isIntegralNumber() ? value.intValue() : (int) value.doubleValue());
    }

    /** An optional integer field that must fit a 64-bit integer (a {@code seed}); 400 otherwise. */
    public static OptionalLong int64(JsonNode parent, String field, String path) {
        JsonNode value = parent.get(field);
        if (value == null || !value.isIntegralNumber()) {
            return OptionalLong.empty();
        }
        if (!value.canConvertToLong()) {
            throw GatewayException.invalidRequest(path + ": " + value + " is out of range for a 64-bit integer.");
        }
        return OptionalLong.of(value.longValue());
    }
}
