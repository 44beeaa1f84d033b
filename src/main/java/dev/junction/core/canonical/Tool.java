package dev.junction.core.canonical;

import java.util.Objects;

/**
 * A function the model may call.
 *
 * @param name function name
 * @param description what it does, or empty
 * @param parametersJson its parameters as a JSON Schema object, as JSON text
 */
public record Tool(String name, String description, String parametersJson) {

    public Tool {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parametersJson, "parametersJson");
    }
}
