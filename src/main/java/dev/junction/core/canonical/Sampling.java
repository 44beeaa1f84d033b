package dev.junction.core.canonical;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Generation limits and sampling parameters; empty means the client did not say.
 *
 * @param maxTokens most output tokens (reasoning included, as OpenAI counts them)
 * @param temperature on OpenAI's 0–2 scale
 * @param topP nucleus sampling
 * @param topK top-k sampling (not OpenAI, but widely sent)
 * @param stop stop sequences
 * @param seed sampling seed
 * @param presencePenalty OpenAI presence penalty
 * @param frequencyPenalty OpenAI frequency penalty
 */
public record Sampling(OptionalInt maxTokens, OptionalDouble temperature, OptionalDouble topP, OptionalInt topK,
        List<String> stop, OptionalLong seed, OptionalDouble presencePenalty, OptionalDouble frequencyPenalty) {

    public static final Sampling DEFAULT = new Sampling(OptionalInt.empty(), OptionalDouble.empty(),
            OptionalDouble.empty(), OptionalInt.empty(), List.of(), OptionalLong.empty(), OptionalDouble.empty(),
            OptionalDouble.empty());

    public Sampling {
        Objects.requireNonNull(maxTokens, "maxTokens");
        Objects.requireNonNull(temperature, "temperature");
        Objects.requireNonNull(topP, "topP");
        Objects.requireNonNull(topK, "topK");
        stop = List.copyOf(stop);
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(presencePenalty, "presencePenalty");
        Objects.requireNonNull(frequencyPenalty, "frequencyPenalty");
    }

    /** The same parameters with another output limit. */
    public Sampling withMaxTokens(int limit) {
        return new Sampling(OptionalInt.of(limit), temperature, topP, topK, stop, seed, presencePenalty,
                frequencyPenalty);
    }
}
