package dev.junction.core.canonical;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * An embeddings request in the gateway's own terms, between a client's API and a provider's that
 * differs from it: the texts to embed, in order, and the vector size when the client asked for
 * one. Token-id inputs and encodings other than floats have no canonical form.
 *
 * @param inputs the texts, at least one
 * @param dimensions the number of dimensions wanted, when given
 */
public record EmbeddingsRequest(List<String> inputs, OptionalInt dimensions) {

    public EmbeddingsRequest {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("an embeddings request has at least one input");
        }
        Objects.requireNonNull(dimensions, "dimensions");
    }
}
