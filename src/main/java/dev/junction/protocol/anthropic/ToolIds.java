package dev.junction.protocol.anthropic;

/**
 * Anthropic accepts tool-use ids made of {@code [a-zA-Z0-9_-]} only, while other providers' ids
 * may hold dots or colons (e.g. {@code functions.get_weather:0}). The same mapping is applied to a
 * tool use and to the result that refers to it, so they keep matching.
 */
final class ToolIds {

    private ToolIds() {
    }

    static String sanitize(String id) {
        StringBuilder clean = null;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
                    || c == '-';
            if (!allowed && clean == null) {
                clean = new StringBuilder(id.length()).append(id, 0, i);
            }
            if (clean != null) {
                clean.append(allowed ? c : '_');
            }
        }
        if (clean == null) {
            return id.isEmpty() ? "toolu_empty" : id;
        }
        // A hash of the original keeps two ids that differ only in replaced characters apart.
        return clean.append('_').append(Integer.toHexString(id.hashCode())).toString();
    }
}
