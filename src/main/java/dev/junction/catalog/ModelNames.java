package dev.junction.catalog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The spellings one upstream model name may be looked up under, most literal first: the name itself,
 * then without a provider prefix ({@code models/gemini-2.5-flash}, {@code openai/gpt-4o},
 * {@code openrouter/anthropic/claude-sonnet-4.5}), without a Vertex {@code @date} or an Ollama
 * {@code :tag}, without a dated-snapshot suffix or {@code -latest}, and Claude's dotted versions with
 * dashes (OpenRouter writes {@code claude-sonnet-4.5}, Anthropic {@code claude-sonnet-4-5}).
 */
final class ModelNames {

    private static final Pattern DATE_SUFFIX = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8}|\\d{6})$");

    private static final List<UnaryOperator<String>> STEPS = List.of(
            ModelNames::withoutPrefix,
            name -> cutAt(name, '@'),
            // an Ollama tag (llama3.1:8b) names a size or quantisation of the same model; OpenRouter's
            // :free variant is a different price, so it stays unknown rather than priced as the paid one
            name -> name.endsWith(":free") ? name : cutAt(name, ':'),
            name -> DATE_SUFFIX.matcher(name).replaceFirst(""),
            name -> name.endsWith("-latest") ? name.substring(0, name.length() - "-latest".length()) : name,
            name -> name.startsWith("claude-") ? name.replace('.', '-') : name);

    private ModelNames() {
    }

    /** The catalog's key for a name: trimmed, lower case. */
    static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    /** Keys to try in order; the first that the catalog knows wins. */
    static List<String> candidates(String name) {
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        keys.add(key(name));
        for (UnaryOperator<String> step : STEPS) {
            for (String known : new ArrayList<>(keys)) {
                String next = step.apply(known);
                if (!next.isEmpty()) {
                    keys.add(next);
                }
            }
        }
        return List.copyOf(keys);
    }

    private static String withoutPrefix(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? name : name.substring(slash + 1);
    }

    private static String cutAt(String name, char mark) {
        int at = name.indexOf(mark);
        return at <= 0 ? name : name.substring(0, at);
    }
}
