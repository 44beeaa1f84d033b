package dev.junction.core.canonical;

import java.util.List;
import java.util.Objects;

/**
 * A complete (non-streamed) answer.
 *
 * @param id the provider's response id, or a generated one
 * @param model the model that answered
 * @param content text, reasoning and tool calls, in the order produced
 * @param refusal why the answer was withheld (a safety block), or null
 * @param finish why the model stopped
 * @param usage tokens consumed
 */
public record CanonicalResponse(String id, String model, List<Part> content, String refusal, FinishReason finish,
        Usage usage) {

    public CanonicalResponse {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        content = List.copyOf(content);
        Objects.requireNonNull(finish, "finish");
        Objects.requireNonNull(usage, "usage");
    }
}
