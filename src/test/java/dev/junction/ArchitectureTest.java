package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md §2's package table, checked against every main source file: a package that uses one
 * it may not fails the build, naming the file.
 */
class ArchitectureTest {

    private static final Set<String> ALL = Set.of("*");

    /**
     * Who may use whom, as in DESIGN.md §2 (a package always may use itself). Everything may use
     * {@code core}: it is the shared vocabulary the table lists for most rows and implies for the
     * rest. Deliberate deviations from the table, as the code is today:
     * <ul>
     *   <li>{@code relay} also uses {@code config}: it reads a channel's settings (base URL,
     *       timeouts, quirks, failover and health-check settings) from the config records routing
     *       hands it.</li>
     *   <li>{@code metrics} (Prometheus metrics and the access log; not in the table yet) uses
     *       {@code core} and {@code usage}: it observes usage records, and reads channel state
     *       through an interface of its own that {@code app} wires from routing.</li>
     * </ul>
     */
    static final Map<String, Set<String>> TABLE = Map.ofEntries(
            Map.entry("app", ALL),
            Map.entry("config", Set.of("core")),
            Map.entry("core", Set.of()),
            Map.entry("protocol", Set.of("core", "http")),
            Map.entry("http", Set.of("core")),
            Map.entry("ingress", Set.of("config", "core", "protocol", "http", "routing", "relay", "catalog",
                    "governance", "usage", "state", "store")),
            Map.entry("routing", Set.of("core", "config", "state")),
            Map.entry("relay", Set.of("core", "routing", "protocol", "http", "config")),
            Map.entry("catalog", Set.of("core")),
            Map.entry("governance", Set.of("core", "state", "store")),
            Map.entry("usage", Set.of("core", "catalog", "store")),
            Map.entry("metrics", Set.of("core", "usage")),
            Map.entry("state", Set.of("core")),
            Map.entry("store", Set.of("core")),
            Map.entry("admin", Set.of("config", "core", "protocol", "http", "ingress", "routing", "relay",
                    "catalog", "governance", "usage", "state", "store")));

    /**
     * Spokes under {@code protocol} that may use another spoke. {@code responses} is OpenAI's second
     * API and answers errors in OpenAI's shape with {@code openai.OpenAiErrors} (a shared writer,
     * not a pairwise translation: requests and answers still meet only in the canonical model).
     */
    static final Map<String, Set<String>> SPOKE_EXCEPTIONS = Map.of("responses", Set.of("openai"));

    private static final PackageRules RULES = new PackageRules(TABLE, SPOKE_EXCEPTIONS);

    @Test
    void everyPackageUsesOnlyWhatDesignSectionTwoAllows() throws Exception {
        Path main = Path.of("src/main/java");
        List<PackageRules.Violation> violations = new ArrayList<>();
        int files;
        try (Stream<Path> sources = Files.walk(main)) {
            List<Path> java = sources.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            files = java.size();
            for (Path file : java) {
                violations.addAll(RULES.check(main.relativize(file).toString(),
                        Files.readString(file, StandardCharsets.UTF_8)));
            }
        }
        assertThat(files).as("main source files read").isGreaterThan(100);
        assertThat(violations).as("uses that DESIGN.md §2 does not allow").isEmpty();
    }

    @Test
    void theCheckerCatchesAnImportAFullyQualifiedNameAndAStaticImport() {
        assertThat(RULES.check("core/X.java", """
                package dev.junction.core;

                import dev.junction.relay.Relay;

                class X {
                }
                """)).extracting(PackageRules.Violation::to).containsExactly("dev.junction.relay");
        assertThat(RULES.check("usage/X.java", """
                package dev.junction.usage;

                class X {
                    Object attempt = new dev.junction.relay.Attempt();
                }
                """)).extracting(PackageRules.Violation::to).containsExactly("dev.junction.relay");
        assertThat(RULES.check("http/X.java", """
                package dev.junction.http;

                import static dev.junction.routing.Router.serves;
                import dev.junction.core.Clock;
                """)).extracting(PackageRules.Violation::to).containsExactly("dev.junction.routing");
    }

    @Test
    void wireFormatPackagesAreSpokesOfOneHub() {
        String spokeToSpoke = """
                package dev.junction.protocol.openai;

                import dev.junction.protocol.PassThrough;
                import dev.junction.protocol.gemini.GeminiEmbeddings;
                import dev.junction.core.canonical.Usage;
                """;
        assertThat(RULES.check("protocol/openai/X.java", spokeToSpoke)).extracting(PackageRules.Violation::to)
                .containsExactly("dev.junction.protocol.gemini");
        assertThat(RULES.check("protocol/X.java", """
                package dev.junction.protocol;

                import dev.junction.protocol.anthropic.AnthropicCodec;
                """)).hasSize(1);
        assertThat(RULES.may("dev.junction.protocol.gemini", "dev.junction.protocol")).isTrue();
        assertThat(RULES.may("dev.junction.protocol.gemini", "dev.junction.http")).isTrue();
        assertThat(RULES.may("dev.junction.protocol.gemini", "dev.junction.routing")).isFalse();
        assertThat(RULES.may("dev.junction.protocol.responses", "dev.junction.protocol.openai")).isTrue();
        assertThat(RULES.may("dev.junction.protocol.openai", "dev.junction.protocol.responses")).isFalse();
    }

    @Test
    void commentsAndStringsAreNotUses() {
        assertThat(RULES.check("core/X.java", """
                package dev.junction.core;

                /** Like {@link dev.junction.relay.Relay}, but smaller. */
                class X {
                    // see dev.junction.relay.Relay
                    String a = "dev.junction.relay.Relay";
                    String b = \"""
                            dev.junction.admin.Admin
                            \""";
                    char c = '"';
                    String d = "dev.junction.store.Database";
                }
                """)).isEmpty();
    }

    @Test
    void aPackageMissingFromTheTableIsAViolation() {
        assertThat(RULES.check("bench/X.java", """
                package dev.junction.bench;

                import dev.junction.core.Clock;
                """)).hasSize(1);
        assertThat(RULES.may("dev.junction.app", "dev.junction.admin")).isTrue();
        assertThat(RULES.may("dev.junction.admin", "dev.junction.app")).isFalse();
        assertThat(RULES.may("dev.junction.ingress", "dev.junction.admin")).isFalse();
        assertThat(RULES.may("dev.junction.core.canonical", "dev.junction.core")).isTrue();
    }
}
