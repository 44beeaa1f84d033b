package dev.junction.core.canonical;

import java.util.Objects;

/** Whether and which function the model must call. */
public sealed interface ToolChoice {

    /** The model decides (the default). */
    record Auto() implements ToolChoice {
    }

    /** The model must call some function. */
    record Required() implements ToolChoice {
    }

    /** The model must not call a function. */
    record None() implements ToolChoice {
    }

    /** The model must call this function. */
    record Named(String name) implements ToolChoice {
        public Named {
            Objects.requireNonNull(name, "name");
        }
    }

    ToolChoice AUTO = new Auto();
    ToolChoice REQUIRED = new Required();
    ToolChoice NONE = new None();

    /** Whether the model is forced to call a function. */
    default boolean forced() {
        return this instanceof Required || this instanceof Named;
    }
}
