package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.config.ConfigNode.Kind;
import dev.junction.config.ConfigNode.Mapping;
import dev.junction.config.ConfigNode.Scalar;
import dev.junction.config.ConfigNode.Sequence;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class YamlTreeTest {

    private static ConfigNode read(String yaml) {
        return YamlTree.read("f.yaml", yaml, Map.of("HOST", "example.com", "EMPTY", "")::get).orElseThrow();
    }

    private static ConfigNode field(ConfigNode node, String name) {
        return ((Mapping) node).entries().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow()
                .value();
    }

    @Test
    void everyNodeKnowsItsLineColumnAndPath() {
        ConfigNode root = read("""
                channels:
                  - name: a
                  - name: b
                    timeout:
                      first_byte: 5s
                """);
        ConfigNode second = ((Sequence) field(root, "channels")).items().get(1);
        ConfigNode firstByte = field(field(second, "timeout"), "first_byte");
        assertThat(firstByte.path()).hasToString("channels[1].timeout.first_byte");
        assertThat(firstByte.path().pointer()).isEqualTo("/channels/1/timeout/first_byte");
        assertThat(firstByte.at().line()).isEqualTo(5);
        assertThat(firstByte.at().column()).isEqualTo(19);
        assertThat(second.at().line()).isEqualTo(3);
        assertThat(root.path()).hasToString("config");
    }

    @Test
    void replacesVariablesAndRecordsTheUnsetOnes() {
        ConfigNode root = read("""
                a: https://${HOST}/v1
                b: ${MISSING}-${ALSO_MISSING:-fallback}-${OTHER}
                c: ${EMPTY:-used-when-empty}
                d: "${HOST}"
                e: 12
                f:
                """);
        assertThat(field(root, "a")).isEqualTo(Scalar.of(field(root, "a").at(), "https://example.com/v1", Kind.PLAIN));
        Scalar b = (Scalar) field(root, "b");
        assertThat(b.text()).isEqualTo("-fallback-");
        assertThat(b.unsetVariables()).containsExactly("MISSING", "OTHER");
        assertThat(Values.text(b).format("f.yaml")).containsExactly(
                "f.yaml:2: b: environment variable MISSING is not set (write ${MISSING:-default} to give a fallback)",
                "f.yaml:2: b: environment variable OTHER is not set (write ${OTHER:-default} to give a fallback)");
        assertThat(((Scalar) field(root, "c")).text()).isEqualTo("used-when-empty");
        assertThat(((Scalar) field(root, "d")).kind()).isEqualTo(Kind.TEXT);
        assertThat(((Scalar) field(root, "e")).kind()).isEqualTo(Kind.PLAIN);
        assertThat(field(root, "f").isNull()).isTrue();
    }

    @Test
    void jsonNodesCarryPointerPathsAndNoLines() {
        ConfigNode root = JsonTree.of(JsonMapper.builder().build().readTree("""
                {"a/b": [1, 2.5, true, null, "x"]}
                """));
        Sequence items = (Sequence) field(root, "a/b");
        assertThat(items.items()).extracting(n -> ((Scalar) n).kind())
                .containsExactly(Kind.NUMBER, Kind.NUMBER, Kind.BOOLEAN, Kind.NULL, Kind.TEXT);
        assertThat(items.items().get(1).path().pointer()).isEqualTo("/a~1b/1");
        assertThat(items.items().get(1).at().line()).isZero();
        assertThat(Values.plain(items, new java.util.ArrayList<>()))
                .isEqualTo(java.util.Arrays.asList(1L, 2.5, true, null, "x"));
    }
}
