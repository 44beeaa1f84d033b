package dev.junction.catalog;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One model as the catalog knows it, possibly with a channel's {@code capabilities:}/{@code prices:}
 * applied.
 *
 * @param id the catalog's canonical id (the provider's undated model name)
 * @param provider who publishes it (openai, anthropic, gemini, deepseek, qwen, zhipu, minimax,
 *     moonshot, volcengine, ollama); empty for a model only a channel's config describes
 * @param kind chat or embedding
 * @param capabilities limits and features
 * @param price what it costs; empty when unknown (its cost is then unknown, never zero)
 * @param aliases other names that resolve to it (dated snapshots, dotted spellings)
 * @param overridden config field names that came from a channel's {@code capabilities:} or
 *     {@code prices:} rather than the catalog
 * @param assumed capability field names nobody stated, assumed capable ({@link Capabilities#ASSUMED})
 * @param note where a number came from, a retirement date, a billing rule the numbers leave out
 */
public record ModelInfo(
        String id, String provider, Kind kind, Capabilities capabilities, Optional<Price> price, List<String> aliases,
        Set<String> overridden, Set<String> assumed, String note) {

    /** What the model is for. */
    public enum Kind {
        CHAT,
        EMBEDDING
    }

    public ModelInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(capabilities, "capabilities");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(note, "note");
        aliases = List.copyOf(aliases);
        overridden = Set.copyOf(overridden);
        assumed = Set.copyOf(assumed);
    }

    /** Whether the built-in catalog describes this model (rather than only a channel's config). */
    public boolean catalogued() {
        return !provider.isEmpty();
    }
}
