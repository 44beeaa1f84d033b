package dev.junction.core.canonical;

import java.util.Objects;

/** The shape the client wants the answer in. */
public sealed interface ResponseFormat {

    /** Free text (the default). */
    record Text() implements ResponseFormat {
    }

    /** Any JSON object. */
    record JsonObject() implements ResponseFormat {
    }

    /**
     * JSON matching a schema.
     *
     * @param name the schema's name
     * @param schemaJson the JSON Schema, as JSON text
     */
    record JsonSchema(String name, String schemaJson) implements ResponseFormat {
        public JsonSchema {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(schemaJson, "schemaJson");
        }
    }

    ResponseFormat TEXT = new Text();
}
