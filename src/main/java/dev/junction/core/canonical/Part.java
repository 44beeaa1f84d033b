package dev.junction.core.canonical;

import java.util.List;
import java.util.Objects;

/** One piece of a message's content. */
public sealed interface Part {

    /**
     * Plain text.
     *
     * @param cache the client marked this block as a prompt-cache breakpoint ({@code cache_control})
     */
    record Text(String text, boolean cache) implements Part {
        public Text {
            Objects.requireNonNull(text, "text");
        }

        public static Text of(String text) {
            return new Text(text, false);
        }
    }

    /** An image, by URL or inline. */
    record Image(Media source) implements Part {
        public Image {
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * A document such as a PDF.
     *
     * @param filename the client's name for it, or null
     */
    record Document(Media source, String filename) implements Part {
        public Document {
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * The model's reasoning, as shown to the client. Providers that verify reasoning on the next
     * turn (Anthropic) need the signature back byte for byte; unsigned reasoning cannot be replayed.
     *
     * @param text the reasoning text (a summary on some models)
     * @param signature the provider's signature over it, or null
     */
    record Reasoning(String text, String signature) implements Part {
        public Reasoning {
            Objects.requireNonNull(text, "text");
        }

        public boolean signed() {
            return signature != null && !signature.isEmpty();
        }
    }

    /** Reasoning the provider returned encrypted; only the provider can read it, so it is replayed as is. */
    record RedactedReasoning(String data) implements Part {
        public RedactedReasoning {
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * A function call the assistant made.
     *
     * @param id the call id tool results refer to
     * @param name the function
     * @param arguments the arguments as JSON text (an object), exactly as the model produced them
     * @param signature Gemini's thought signature for this call, or null
     */
    record ToolCall(String id, String name, String arguments, String signature) implements Part {
        public ToolCall {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(arguments, "arguments");
        }
    }

    /**
     * The result of a function call, sent back by the client.
     *
     * @param callId the id of the {@link ToolCall} it answers
     * @param content text and images
     */
    record ToolResult(String callId, List<Part> content) implements Part {
        public ToolResult {
            Objects.requireNonNull(callId, "callId");
            content = List.copyOf(content);
        }

        /** The text parts joined, for APIs whose tool results are one string or object. */
        public String text() {
            StringBuilder text = new StringBuilder();
            for (Part part : content) {
                if (part instanceof Text t) {
                    text.append(t.text());
                }
            }
            return text.toString();
        }
    }
}
