package dev.junction.protocol.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.testing.FakeGemini;
import dev.junction.testing.JsonTree;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class GeminiSchemasTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode clean(String schema) {
        JsonNode cleaned = GeminiSchemas.clean(schema);
        FakeGemini.checkSchema(cleaned); // what Gemini would accept
        return cleaned;
    }

    @Test
    void theFakeRefusesWhatTheCleanerRemoves() {
        assertThatThrownBy(() -> FakeGemini.checkSchema(JSON.readTree(
                "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"a\":{\"type\":\"string\"}}}")))
                .hasMessageContaining("additionalProperties");
        assertThatThrownBy(() -> FakeGemini.checkSchema(JSON.readTree("{\"type\":\"object\",\"properties\":{}}")))
                .hasMessageContaining("non-empty");
    }

    @Test
    void inlinesReferencesAndCutsRecursionOff() {
        JsonNode cleaned = clean("""
                {"type":"object","properties":{"root":{"$ref":"#/$defs/node"}},
                 "$defs":{"node":{"type":"object","properties":{"name":{"type":"string"},
                   "children":{"type":"array","items":{"$ref":"#/$defs/node"}}}}}}""");
        assertThat(cleaned.at("/properties/root/properties/name/type").asString()).isEqualTo("string");
        assertThat(cleaned.at("/properties/root/properties/children/items/properties/name/type").asString())
                .isEqualTo("string");
        assertThat(cleaned.toString()).doesNotContain("$ref").doesNotContain("$defs");
    }

    @Test
    void mergesAllOfAndTurnsNullTypesIntoNullable() {
        JsonNode cleaned = clean("""
                {"allOf":[{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]},
                          {"properties":{"b":{"type":["integer","null"]}},"required":["b"]}],
                 "properties":{"c":{"anyOf":[{"type":"string"},{"type":"number"},{"type":"null"}]}}}""");
        assertThat(cleaned.at("/properties/a/type").asString()).isEqualTo("string");
        assertThat(cleaned.at("/properties/b")).isEqualTo(JSON.readTree("{\"type\":\"integer\",\"nullable\":true}"));
        assertThat(cleaned.at("/properties/c/nullable").asBoolean()).isTrue();
        assertThat(cleaned.at("/properties/c/anyOf")).hasSize(2);
        assertThat(cleaned.get("required").valueStream().map(JsonNode::asString).toList()).isEqualTo(List.of("a",
                "b"));
    }

    @Test
    void keepsOnlyFormatsAndEnumsGeminiKnows() {
        JsonNode cleaned = clean("""
                {"type":"object","properties":{
                  "when":{"type":"string","format":"date-time"},"site":{"type":"string","format":"uri"},
                  "n":{"type":"integer","format":"int64","multipleOf":2,"exclusiveMaximum":9},
                  "level":{"type":"integer","enum":[1,2]},"mode":{"const":"fast"}}}""");
        assertThat(cleaned.at("/properties/when/format").asString()).isEqualTo("date-time");
        assertThat(JsonTree.of(cleaned.at("/properties/site"))).isEqualTo(JsonTree.of("{\"type\":\"string\"}"));
        assertThat(JsonTree.of(cleaned.at("/properties/n")))
                .isEqualTo(JsonTree.of("{\"type\":\"integer\",\"format\":\"int64\"}"));
        assertThat(JsonTree.of(cleaned.at("/properties/level"))).isEqualTo(JsonTree.of("{\"type\":\"integer\"}"));
        assertThat(JsonTree.of(cleaned.at("/properties/mode")))
                .isEqualTo(JsonTree.of("{\"enum\":[\"fast\"],\"type\":\"string\"}"));
    }

    @Test
    void anEmptyObjectSchemaConstrainsNothing() {
        assertThat(JsonTree.of(GeminiSchemas.clean("{\"type\":\"object\",\"properties\":{}}")))
                .isEqualTo(JsonTree.of("{\"type\":\"object\"}"));
        assertThat(GeminiSchemas.clean("{\"additionalProperties\":true}")).isNull();
    }
}
