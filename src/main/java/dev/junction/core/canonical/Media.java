package dev.junction.core.canonical;

import java.util.Objects;

/** Where the bytes of an image or document are: at a URL, or inline. */
public sealed interface Media {

    /** A URL the provider fetches itself. */
    record Url(String url) implements Media {
        public Url {
            Objects.requireNonNull(url, "url");
        }
    }

    /**
     * Inline bytes.
     *
     * @param mediaType e.g. {@code image/png}, {@code application/pdf}
     * @param base64 the bytes, base64-encoded
     */
    record Inline(String mediaType, String base64) implements Media {
        public Inline {
            Objects.requireNonNull(mediaType, "mediaType");
            Objects.requireNonNull(base64, "base64");
        }
    }
}
