package dev.junction.protocol.gemini;

import java.util.Locale;

/** Gemini's {@code fileData} needs a MIME type the client never gave for a URL; the extension tells it. */
final class MimeTypes {

    private MimeTypes() {
    }

    static String guess(String url) {
        String path = url;
        int cut = path.indexOf('?');
        path = cut < 0 ? path : path.substring(0, cut);
        cut = path.indexOf('#');
        path = (cut < 0 ? path : path.substring(0, cut)).toLowerCase(Locale.ROOT);
        int dot = path.lastIndexOf('.');
        String extension = dot < 0 || dot < path.lastIndexOf('/') ? "" : path.substring(dot + 1);
        return switch (extension) {
            case "png" -> "image/png";
            case "gif" -> "image/gif";
            case "webp" -> "image/webp";
            case "heic" -> "image/heic";
            case "heif" -> "image/heif";
            case "pdf" -> "application/pdf";
            case "txt" -> "text/plain";
            default -> "image/jpeg";
        };
    }
}
