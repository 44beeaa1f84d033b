package dev.junction.protocol;

import dev.junction.core.GatewayException;
import dev.junction.core.canonical.Media;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Reads documents the translating codecs cannot forward as files: a plain-text document sent
 * inline is decoded to its text, which every provider takes as ordinary text.
 */
public final class Documents {

    private Documents() {
    }

    /** Whether the document is plain text ({@code text/*}), readable as text. */
    public static boolean isText(Media.Inline inline) {
        return inline.mediaType().startsWith("text/");
    }

    /**
     * The text of an inline text document.
     *
     * @throws GatewayException (invalid request) when the data is not base64
     */
    public static String text(Media.Inline inline) {
        try {
            return new String(Base64.getMimeDecoder().decode(inline.base64()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw GatewayException.invalidRequest("A text document is not valid base64.");
        }
    }
}
