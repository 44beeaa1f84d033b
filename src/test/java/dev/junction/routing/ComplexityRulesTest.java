package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.config.RoutingConfig.Complexity;
import dev.junction.core.Needs;
import dev.junction.protocol.NeedsScan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The complexity classifier: each rule's points, the threshold, and its agreement with a labelled set
 * of 205 prompts (src/test/resources/complexity/labelled-prompts.tsv), each sent through the same scan
 * of a chat request body that routing uses. The agreement is printed; the test holds it above a floor
 * so a rule change that makes it worse is noticed.
 */
class ComplexityRulesTest {

    static final Complexity DEFAULTS = new Complexity("small", "frontier", Complexity.DEFAULT_THRESHOLD,
            Complexity.DEFAULT_LONG_PROMPT, Complexity.DEFAULT_DEEP_CONVERSATION);
    static final JsonMapper JSON = JsonMapper.builder().build();

    private static ComplexityRules.Verdict classify(String body) {
        return ComplexityRules.classify(NeedsScan.of(body.getBytes(StandardCharsets.UTF_8)), DEFAULTS);
    }

    @Test
    void eachRuleAddsItsPointsAndTheThresholdDecides() {
        assertThat(classify("{\"messages\":[{\"role\":\"user\",\"content\":\"What is 2+2?\"}]}").score()).isZero();
        ComplexityRules.Verdict tools = classify("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}");
        assertThat(tools.score()).isEqualTo(3);
        assertThat(tools.hard()).isTrue();
        assertThat(tools.target()).isEqualTo("frontier");
        assertThat(tools.reasons()).containsExactly("tools +3");
        ComplexityRules.Verdict code = classify("{\"messages\":[{\"role\":\"user\",\"content\":\"```x = 1```\"}]}");
        assertThat(code.score()).isEqualTo(3);
        assertThat(code.describe()).isEqualTo("hard → frontier (score 3 ≥ 3)");
        ComplexityRules.Verdict image = classify("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"what is this?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\"}}]}]}");
        assertThat(image.score()).isEqualTo(1);
        assertThat(image.describe()).isEqualTo("simple → small (score 1 < 3)");
        ComplexityRules.Verdict words = classify("{\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Prove it, step by step, and refactor; then optimize\"}]}");
        assertThat(words.reasons()).containsExactly("reasoning words +4");
        assertThat(words.score()).isEqualTo(4);
        assertThat(classify("{\"messages\":[{\"role\":\"user\",\"content\":\"I improve things\"}]}").score())
                .as("a word inside another word does not count").isZero();
        assertThat(classify("{\"model\":\"deep-reasoner\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .score()).as("only text a person wrote counts").isZero();
        assertThat(classify("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"reasoning_effort\":\"high\"}")
                .reasons()).containsExactly("reasoning requested +3");
        String longText = "x".repeat(4 * 2_100);
        assertThat(classify("{\"messages\":[{\"role\":\"user\",\"content\":\"" + longText + "\"}]}").reasons())
                .containsExactly("long prompt +3");
        ComplexityRules.Verdict deep = ComplexityRules.classify(new Needs(0, 10, 0, null, 12, false, 0), DEFAULTS);
        assertThat(deep.reasons()).containsExactly("deep conversation +3");
        ComplexityRules.Verdict strict = ComplexityRules.classify(new Needs(Needs.TOOLS, 10, 0, null, 1, true, 0),
                new Complexity("small", "frontier", 10, 2_000, 12));
        assertThat(strict.score()).isEqualTo(6);
        assertThat(strict.hard()).isFalse();
    }

    record Labelled(boolean hard, Set<String> features, String text) {
    }

    static List<Labelled> labelled() throws IOException {
        List<Labelled> list = new ArrayList<>();
        try (InputStream in = ComplexityRulesTest.class.getResourceAsStream("/complexity/labelled-prompts.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\t", 3);
                list.add(new Labelled(parts[0].equals("hard"), parts[1].equals("-") ? Set.of()
                        : Set.of(parts[1].split(",")), parts[2].replace("\\n", "\n")));
            }
        }
        return list;
    }

    /** The chat request a client would send for a labelled prompt. */
    static String body(Labelled prompt) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "auto");
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", "You are a helpful assistant.");
        for (String feature : prompt.features()) {
            if (feature.startsWith("turns=")) {
                int turns = Integer.parseInt(feature.substring(6));
                for (int i = 0; i < turns; i++) {
                    messages.addObject().put("role", i % 2 == 0 ? "user" : "assistant")
                            .put("content", "Earlier message " + i + " of this conversation.");
                }
            }
        }
        for (String feature : prompt.features()) {
            if (feature.startsWith("long=")) {
                int tokens = Integer.parseInt(feature.substring(5));
                StringBuilder log = new StringBuilder();
                for (int i = 0; log.length() < tokens * 4; i++) {
                    log.append("2026-12-03T10:").append(i % 60).append(" INFO worker-").append(i % 8)
                            .append(" handled job ").append(i).append(" in ").append(i % 97).append(" ms\n");
                }
                messages.addObject().put("role", "user").put("content", log.toString());
            }
        }
        ObjectNode last = messages.addObject().put("role", "user");
        if (prompt.features().contains("image")) {
            ArrayNode parts = last.putArray("content");
            parts.addObject().put("type", "text").put("text", prompt.text());
            parts.addObject().put("type", "image_url").putObject("image_url").put("url", "data:image/png;base64,"
                    + "iVBORw0KGgo".repeat(60));
        } else {
            last.put("content", prompt.text());
        }
        if (prompt.features().contains("tools")) {
            body.putArray("tools").addObject().put("type", "function").putObject("function").put("name", "run")
                    .putObject("parameters").put("type", "object");
        }
        if (prompt.features().contains("reasoning")) {
            body.put("reasoning_effort", "high");
        }
        if (prompt.features().contains("schema")) {
            body.putObject("response_format").put("type", "json_schema").putObject("json_schema").put("name", "out");
        }
        return JSON.writeValueAsString(body);
    }

    @Test
    void theClassifierAgreesWithTheLabelledSet() throws IOException {
        List<Labelled> set = labelled();
        assertThat(set).hasSizeGreaterThanOrEqualTo(200);
        int agree = 0;
        int hardAsSimple = 0;
        int simpleAsHard = 0;
        List<String> misses = new ArrayList<>();
        for (Labelled prompt : set) {
            ComplexityRules.Verdict verdict = classify(body(prompt));
            if (verdict.hard() == prompt.hard()) {
                agree++;
            } else {
                if (prompt.hard()) {
                    hardAsSimple++;
                } else {
                    simpleAsHard++;
                }
                misses.add((prompt.hard() ? "hard" : "simple") + " scored " + verdict.score() + " " + verdict.reasons()
                        + ": " + prompt.text().lines().findFirst().orElse(""));
            }
        }
        double agreement = agree / (double) set.size();
        System.out.printf("complexity classifier: %d/%d agree (%.1f %%); hard routed simple: %d, simple routed hard: %d%n",
                agree, set.size(), agreement * 100, hardAsSimple, simpleAsHard);
        misses.forEach(m -> System.out.println("  miss: " + m));
        assertThat(agreement).isGreaterThanOrEqualTo(0.85);
    }
}
