package dev.junction.admin.web;

import java.util.Collection;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The dashboard's only template mechanism: {@link #f} fills {@code %s} holes with values that are
 * HTML-escaped unless they are already {@link Raw} markup, so text from the database can never
 * become markup.
 */
final class Html {

    /** Markup that is safe as it is (built by {@link #f} or a literal). */
    record Raw(String html) {
        Raw {
            Objects.requireNonNull(html, "html");
        }

        @Override
        public String toString() {
            return html;
        }
    }

    static final Raw EMPTY = new Raw("");

    private Html() {
    }

    static Raw raw(String html) {
        return new Raw(html);
    }

    /** {@code template} with each {@code %s} replaced by the next argument, escaped unless it is {@link Raw}. */
    static Raw f(String template, Object... args) {
        StringBuilder out = new StringBuilder(template.length() + 64);
        int arg = 0;
        int from = 0;
        while (true) {
            int hole = template.indexOf("%s", from);
            if (hole < 0) {
                break;
            }
            out.append(template, from, hole);
            if (arg >= args.length) {
                throw new IllegalArgumentException("more holes than arguments in " + template);
            }
            out.append(piece(args[arg++]));
            from = hole + 2;
        }
        if (arg != args.length) {
            throw new IllegalArgumentException("more arguments than holes in " + template);
        }
        out.append(template, from, template.length());
        return new Raw(out.toString());
    }

    private static String piece(Object value) {
        return value instanceof Raw raw ? raw.html() : esc(value);
    }

    static Raw join(Stream<Raw> parts) {
        return new Raw(parts.map(Raw::html).collect(Collectors.joining()));
    }

    static Raw join(Collection<Raw> parts) {
        return join(parts.stream());
    }

    /** {@code markup} when {@code condition}, else nothing. */
    static Raw when(boolean condition, Raw markup) {
        return condition ? markup : EMPTY;
    }

    /** Text escaped for element content and double-quoted attribute values. */
    static String esc(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (replacement != null) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(replacement);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
