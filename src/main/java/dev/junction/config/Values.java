package dev.junction.config;

import dev.junction.config.ConfigNode.Mapping;
import dev.junction.config.ConfigNode.Scalar;
import dev.junction.config.ConfigNode.Sequence;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value rules every section shares: each reads one node and returns its value or its
 * problems. They are plain functions, so the file and the admin API give the same messages.
 */
final class Values {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|KiB|MB|MiB|GB|GiB)?");

    private Values() {
    }

    /** A single value, with every variable it names set. */
    static Result<String> text(ConfigNode node) {
        if (!(node instanceof Scalar scalar)) {
            return Result.problem(node, "expected a single value");
        }
        if (!scalar.unsetVariables().isEmpty()) {
            return Result.failed(scalar.unsetVariables().stream()
                    .map(name -> Problem.at(node, "environment variable " + name
                            + " is not set (write ${" + name + ":-default} to give a fallback)"))
                    .toList());
        }
        return Result.ok(scalar.text());
    }

    /** A single value that is not blank. */
    static Result<String> nonEmpty(ConfigNode node) {
        return text(node).then(text -> text.isBlank() ? Result.problem(node, "must not be empty") : Result.ok(text));
    }

    /** {@code true} or {@code false}. */
    static Result<Boolean> bool(ConfigNode node) {
        return text(node).then(text -> switch (text) {
            case "true" -> Result.ok(true);
            case "false" -> Result.ok(false);
            default -> Result.problem(node, "'" + text + "' is not true or false");
        });
    }

    /** A whole number of at least {@code min}. */
    static Result<Integer> integer(ConfigNode node, int min) {
        return text(node).then(text -> {
            try {
                int value = Integer.parseInt(text.strip());
                return value < min ? Result.problem(node, "must be at least " + min) : Result.ok(value);
            } catch (NumberFormatException e) {
                return Result.problem(node, "'" + text + "' is not a whole number");
            }
        });
    }

    /** A number in (0, 1]. */
    static Result<Double> fraction(ConfigNode node) {
        return text(node).then(text -> {
            try {
                double value = Double.parseDouble(text.strip());
                return value <= 0 || value > 1 ? Result.problem(node, "must be between 0 (exclusive) and 1")
                        : Result.ok(value);
            } catch (NumberFormatException e) {
                return Result.problem(node, "'" + text + "' is not a number between 0 and 1");
            }
        });
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m} or {@code 1h}. */
    static Result<Duration> duration(ConfigNode node) {
        return text(node).then(text -> {
            Matcher m = DURATION.matcher(text.strip());
            if (!m.matches()) {
                return Result.problem(node, "'" + text + "' is not a duration; write e.g. 500ms, 30s, 2m or 1h");
            }
            try {
                long amount = Long.parseLong(m.group(1));
                return Result.ok(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                });
            } catch (NumberFormatException | ArithmeticException e) {
                return Result.problem(node, "'" + text + "' is too long a duration");
            }
        });
    }

    /** A duration longer than zero. */
    static Result<Duration> positiveDuration(ConfigNode node) {
        return duration(node).then(value -> value.isZero() ? Result.problem(node, "must be longer than zero")
                : Result.ok(value));
    }

    /** A byte count: {@code 32MiB}, {@code 512KiB}, {@code 1048576}. */
    static Result<Long> size(ConfigNode node) {
        return text(node).then(text -> {
            Matcher m = SIZE.matcher(text.strip());
            if (!m.matches()) {
                return Result.problem(node, "'" + text + "' is not a size; write e.g. 32MiB, 512KiB or 1048576");
            }
            long amount;
            try {
                amount = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                return Result.problem(node, "'" + text + "' is too large a size");
            }
            long factor = switch (m.group(2) == null ? "B" : m.group(2)) {
                case "KB" -> 1_000L;
                case "KiB" -> 1L << 10;
                case "MB" -> 1_000_000L;
                case "MiB" -> 1L << 20;
                case "GB" -> 1_000_000_000L;
                case "GiB" -> 1L << 30;
                default -> 1L;
            };
            if (amount > Long.MAX_VALUE / factor) {
                return Result.problem(node, "'" + text + "' is too large a size");
            }
            return Result.ok(amount * factor);
        });
    }

    /** An http(s) URL with a host and no query or fragment, without a trailing slash. */
    static Result<URI> httpUrl(ConfigNode node) {
        return nonEmpty(node).then(text -> {
            try {
                URI uri = new URI(text);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    return Result.problem(node, "'" + text + "' is not an http(s) URL with a host");
                }
                if (uri.getQuery() != null || uri.getFragment() != null) {
                    return Result.problem(node, "'" + text + "' must not have a query or fragment");
                }
                return Result.ok(new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text));
            } catch (URISyntaxException e) {
                return Result.problem(node, "'" + text + "' is not a valid URL: " + e.getReason());
            }
        });
    }

    /** The items of a list. */
    static Result<List<ConfigNode>> items(ConfigNode node) {
        return node instanceof Sequence sequence ? Result.ok(sequence.items()) : Result.problem(node, "expected a list");
    }

    /** A list of single values; a single value stands for a list of one. */
    static Result<List<String>> textList(ConfigNode node) {
        if (node instanceof Scalar) {
            return text(node).map(List::of);
        }
        return items(node).then(items -> {
            List<String> values = new ArrayList<>();
            List<Problem> problems = new ArrayList<>();
            for (ConfigNode item : items) {
                Result<String> value = text(item);
                value.value().ifPresent(values::add);
                problems.addAll(value.problems());
            }
            return problems.isEmpty() ? Result.ok(List.copyOf(values)) : Result.failed(problems);
        });
    }

    /**
     * A value as a plain Java value: {@code String}, {@code Long}, {@code Double}, {@code Boolean},
     * {@code List}, {@code Map} or null. An unquoted YAML scalar becomes a number or boolean when it
     * reads as one; a quoted one stays text. Problems (unset variables) go to {@code problems}.
     */
    static Object plain(ConfigNode node, List<Problem> problems) {
        return switch (node) {
            case Scalar scalar when scalar.kind() == ConfigNode.Kind.NULL -> null;
            case Scalar scalar -> {
                Result<String> text = text(scalar);
                problems.addAll(text.problems());
                String value = text.value().orElse("");
                yield switch (scalar.kind()) {
                    case TEXT -> value;
                    case BOOLEAN -> Boolean.valueOf(value);
                    default -> number(value);
                };
            }
            case Sequence sequence -> {
                List<Object> items = new ArrayList<>();
                for (ConfigNode item : sequence.items()) {
                    items.add(plain(item, problems));
                }
                yield Collections.unmodifiableList(items);
            }
            case Mapping mapping -> {
                Map<String, Object> entries = new LinkedHashMap<>();
                for (ConfigNode.Entry entry : mapping.entries()) {
                    Result<String> key = text(entry.key());
                    problems.addAll(key.problems());
                    entries.put(key.value().orElse(""), plain(entry.value(), problems));
                }
                yield Collections.unmodifiableMap(entries);
            }
        };
    }

    /** An unquoted scalar: boolean, whole number, decimal number, or else the text. */
    private static Object number(String text) {
        if (text.equals("true") || text.equals("false")) {
            return Boolean.valueOf(text);
        }
        try {
            return Long.valueOf(text);
        } catch (NumberFormatException notLong) {
            try {
                return Double.valueOf(text);
            } catch (NumberFormatException notNumber) {
                return text;
            }
        }
    }
}
