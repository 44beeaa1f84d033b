package dev.junction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DESIGN.md §2 as code: which of the gateway's packages each may use, and the reader that finds
 * what a source file uses. A file uses a package when it imports one of its types (or statics) or
 * names one of its types fully qualified in code; comments and string literals do not count.
 * Subpackages belong to their top package ({@code core.canonical} is {@code core}), except that the
 * wire-format packages under {@code protocol} are spokes: each may use {@code protocol} (the hub),
 * never another spoke (unless listed as an exception), and the hub never a spoke.
 */
final class PackageRules {

    static final String ROOT = "dev.junction";

    private static final Pattern PACKAGE = Pattern.compile("\\bpackage\\s+([\\w.]+)\\s*;");
    /** A dotted name under the root: its lower-case segments are the package, the first capitalised one a type. */
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.junction((?:\\.[a-z_][a-z0-9_]*)*)\\.[A-Z]");
    /** {@code import dev.junction.x.*;}: the package itself. */
    private static final Pattern WILDCARD = Pattern.compile("\\bimport\\s+(?:static\\s+)?dev\\.junction((?:\\.[a-z_][a-z0-9_]*)*)\\.\\*");

    private final Map<String, Set<String>> allowed;
    private final Map<String, Set<String>> spokeExceptions;

    /**
     * @param allowed for each top package (the segment after {@code dev.junction}), the top packages
     *     it may use besides itself; {@code "*"} for all
     * @param spokeExceptions for a spoke under {@code protocol}, the other spokes it may use
     */
    PackageRules(Map<String, Set<String>> allowed, Map<String, Set<String>> spokeExceptions) {
        this.allowed = Map.copyOf(allowed);
        this.spokeExceptions = Map.copyOf(spokeExceptions);
    }

    /** One source file that uses a package it may not. */
    record Violation(String file, String from, String to) {
        @Override
        public String toString() {
            return file + ": " + from + " uses " + to;
        }
    }

    /** The violations in one file's source text. */
    List<Violation> check(String file, String source) {
        String code = codeOnly(source);
        Matcher declared = PACKAGE.matcher(code);
        if (!declared.find()) {
            return List.of(new Violation(file, "(no package)", "(unknown)"));
        }
        String from = declared.group(1);
        List<Violation> violations = new ArrayList<>();
        for (String to : uses(code)) {
            if (!may(from, to)) {
                violations.add(new Violation(file, from, to));
            }
        }
        return violations;
    }

    /** Whether package {@code from} may use package {@code to} (both fully qualified). */
    boolean may(String from, String to) {
        if (from.equals(to)) {
            return true;
        }
        String fromTop = top(from);
        String toTop = top(to);
        if (fromTop == null || !allowed.containsKey(fromTop)) {
            return false; // a package the table does not know: add it to the table deliberately
        }
        if (toTop == null || !allowed.containsKey(toTop)) {
            return false;
        }
        if (fromTop.equals(toTop)) {
            return !fromTop.equals("protocol") || spokesAllow(from, to);
        }
        Set<String> may = allowed.get(fromTop);
        return may.contains("*") || may.contains(toTop);
    }

    /** Inside {@code protocol}: a spoke may use the hub; the hub no spoke; a spoke no other spoke. */
    private boolean spokesAllow(String from, String to) {
        String hub = ROOT + ".protocol";
        String fromSpoke = spoke(from, hub);
        String toSpoke = spoke(to, hub);
        return toSpoke == null || toSpoke.equals(fromSpoke)
                || fromSpoke != null && spokeExceptions.getOrDefault(fromSpoke, Set.of()).contains(toSpoke);
    }

    private static String spoke(String pkg, String hub) {
        if (pkg.equals(hub)) {
            return null;
        }
        String rest = pkg.substring(hub.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    /** {@code core} for {@code dev.junction.core.canonical}; null outside the root or for the root itself. */
    static String top(String pkg) {
        if (!pkg.startsWith(ROOT + ".")) {
            return null;
        }
        String rest = pkg.substring(ROOT.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    /** The packages under the root that code (comments and strings removed) refers to. */
    static Set<String> uses(String code) {
        Set<String> packages = new TreeSet<>();
        Matcher reference = REFERENCE.matcher(code);
        while (reference.find()) {
            packages.add(ROOT + reference.group(1));
        }
        Matcher wildcard = WILDCARD.matcher(code);
        while (wildcard.find()) {
            packages.add(ROOT + wildcard.group(1));
        }
        packages.remove(ROOT); // the root package holds no code
        return packages;
    }

    /**
     * The source with comments, string and text-block literals and char literals blanked out (line
     * breaks kept), so a name mentioned in Javadoc or a message is not a use.
     */
    static String codeOnly(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                blank(source, i, end, out);
                i = end;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = i + 3;
                while (end < n && !source.startsWith("\"\"\"", end)) {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 3);
                blank(source, i, end, out);
                i = end;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && source.charAt(end) != c && source.charAt(end) != '\n') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 1);
                blank(source, i, end, out);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void blank(String source, int from, int to, StringBuilder out) {
        for (int j = from; j < to; j++) {
            out.append(source.charAt(j) == '\n' ? '\n' : ' ');
        }
    }
}
