package dev.junction.protocol.gemini;

import dev.junction.protocol.JsonTrees;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rewrites a JSON Schema into the OpenAPI subset Gemini accepts for function parameters and
 * response schemas. Gemini answers 400 for keywords outside the subset, so the rewrite keeps
 * meaning where it can and drops the rest: {@code $ref}s are inlined from {@code $defs} (a
 * recursive one is cut off), {@code oneOf} becomes {@code anyOf}, a {@code null} type becomes
 * {@code nullable}, a string {@code const} becomes a one-value {@code enum}, and empty
 * {@code properties} (which Gemini rejects) are left out.
 */
final class GeminiSchemas {

    /** Keywords Gemini's Schema object has; everything else is dropped. */
    static final Set<String> SUPPORTED = Set.of("type", "format", "title", "description", "nullable", "enum",
            "maxItems", "minItems", "properties", "required", "minProperties", "maxProperties", "minLength",
            "maxLength", "pattern", "anyOf", "propertyOrdering", "items", "minimum", "maximum");
    private static final Set<String> STRING_FORMATS = Set.of("enum", "date-time");
    private static final Set<String> NUMBER_FORMATS = Set.of("float", "double", "int32", "int64");
    /** Deeper than this a schema is recursive in practice; the rest becomes a plain object. */
    private static final int MAX_DEPTH = 12;

    private GeminiSchemas() {
    }

    /** The cleaned schema, or null when nothing remains that constrains anything. */
    static ObjectNode clean(String schemaJson) {
        JsonNode root = JsonTrees.parse(schemaJson);
        if (!root.isObject()) {
            return null;
        }
        ObjectNode cleaned = clean(root, root, 0);
        return cleaned.isEmpty() ? null : cleaned;
    }

    private static ObjectNode clean(JsonNode schema, JsonNode root, int depth) {
        ObjectNode out = JsonTrees.MAPPER.createObjectNode();
        if (!schema.isObject()) {
            return out;
        }
        if (depth > MAX_DEPTH) {
            return out.put("type", "object");
        }
        ObjectNode source = inline(schema, root);
        for (Map.Entry<String, JsonNode> entry : source.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            switch (key) {
                case "type" -> type(out, value);
                case "properties" -> {
                    ObjectNode properties = JsonTrees.MAPPER.createObjectNode();
                    for (Map.Entry<String, JsonNode> property : value.properties()) {
                        properties.set(property.getKey(), clean(property.getValue(), root, depth + 1));
                    }
                    if (!properties.isEmpty()) {
                        out.set("properties", properties);
                    }
                }
                case "items" -> out.set("items", clean(value.isArray() ? value.path(0) : value, root, depth + 1));
                case "anyOf", "oneOf" -> anyOf(out, value, root, depth);
                case "const" -> {
                    if (value.isString()) {
                        out.putArray("enum").add(value.stringValue());
                    }
                }
                case "enum" -> {
                    if (value.isArray() && !value.isEmpty() && value.valueStream().allMatch(JsonNode::isString)) {
                        out.set("enum", value);
                    }
                }
                default -> {
                    if (SUPPORTED.contains(key) && !key.equals("format") && !key.equals("required")) {
                        out.set(key, value);
                    }
                }
            }
        }
        if (out.has("enum") && !out.has("type")) {
            out.put("type", "string"); // Gemini's enum is a string format
        }
        format(out, source.get("format"));
        required(out, source.get("required"));
        return out;
    }

    /** {@code $ref} and {@code allOf} folded into one object schema, sibling keywords kept. */
    private static ObjectNode inline(JsonNode schema, JsonNode root) {
        ObjectNode merged = ((ObjectNode) schema).deepCopy();
        for (int guard = 0; guard < MAX_DEPTH && (merged.has("$ref") || merged.has("allOf")); guard++) {
            JsonNode ref = merged.remove("$ref");
            if (ref != null && ref.isString() && resolve(ref.stringValue(), root) instanceof ObjectNode target) {
                ObjectNode copy = target.deepCopy();
                copy.setAll(merged); // siblings such as description win over the definition's
                merged = copy;
            }
            JsonNode allOf = merged.remove("allOf");
            if (allOf != null && allOf.isArray()) {
                for (JsonNode part : allOf) {
                    if (part instanceof ObjectNode object) {
                        mergeInto(merged, object);
                    }
                }
            }
        }
        return merged;
    }

    private static void mergeInto(ObjectNode target, ObjectNode part) {
        for (Map.Entry<String, JsonNode> entry : part.properties()) {
            JsonNode existing = target.get(entry.getKey());
            if (entry.getKey().equals("properties") && existing instanceof ObjectNode properties
                    && entry.getValue() instanceof ObjectNode more) {
                properties.setAll(more);
            } else if (entry.getKey().equals("required") && existing instanceof ArrayNode required
                    && entry.getValue().isArray()) {
                required.addAll((ArrayNode) entry.getValue());
            } else if (existing == null) {
                target.set(entry.getKey(), entry.getValue());
            }
        }
    }

    /** {@code #/$defs/Name} or {@code #/definitions/Name}; other references cannot be followed. */
    private static JsonNode resolve(String ref, JsonNode root) {
        if (!ref.startsWith("#/")) {
            return null;
        }
        JsonNode node = root.at(ref.substring(1));
        return node.isMissingNode() ? null : node;
    }

    private static void type(ObjectNode out, JsonNode type) {
        if (type.isString()) {
            if (type.stringValue().equals("null")) {
                out.put("nullable", true);
            } else {
                out.put("type", type.stringValue());
            }
            return;
        }
        if (!type.isArray()) {
            return;
        }
        List<String> types = new ArrayList<>();
        for (JsonNode t : type) {
            if (t.isString() && t.stringValue().equals("null")) {
                out.put("nullable", true);
            } else if (t.isString()) {
                types.add(t.stringValue());
            }
        }
        if (types.size() == 1) {
            out.put("type", types.getFirst());
        } else if (types.size() > 1) {
            ArrayNode anyOf = out.putArray("anyOf");
            types.forEach(t -> anyOf.addObject().put("type", t));
        }
    }

    private static void anyOf(ObjectNode out, JsonNode options, JsonNode root, int depth) {
        if (!options.isArray()) {
            return;
        }
        List<ObjectNode> kept = new ArrayList<>();
        for (JsonNode option : options) {
            if ("null".equals(JsonTrees.string(option, "type"))) {
                out.put("nullable", true);
            } else {
                kept.add(clean(option, root, depth + 1));
            }
        }
        if (kept.size() == 1) {
            kept.getFirst().properties().forEach(e -> out.set(e.getKey(), e.getValue()));
        } else if (!kept.isEmpty()) {
            ArrayNode anyOf = out.putArray("anyOf");
            kept.forEach(anyOf::add);
        }
    }

    private static void format(ObjectNode out, JsonNode format) {
        if (format == null || !format.isString()) {
            return;
        }
        String type = String.valueOf(JsonTrees.string(out, "type"));
        boolean supported = type.equals("string") ? STRING_FORMATS.contains(format.stringValue())
                : (type.equals("number") || type.equals("integer")) && NUMBER_FORMATS.contains(format.stringValue());
        if (supported) {
            out.set("format", format);
        }
    }

    /** Only names that are properties: Gemini rejects a required property it does not know. */
    private static void required(ObjectNode out, JsonNode required) {
        if (required == null || !required.isArray()) {
            return;
        }
        JsonNode properties = out.path("properties");
        ArrayNode kept = JsonTrees.MAPPER.createArrayNode();
        for (JsonNode name : required) {
            if (name.isString() && properties.has(name.stringValue())) {
                kept.add(name.stringValue());
            }
        }
        if (!kept.isEmpty()) {
            out.set("required", kept);
        }
    }
}
