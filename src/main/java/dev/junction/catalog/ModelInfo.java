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
 * @param kind chat, embedding, or a media kind (image, speech, transcription, rerank, moderation)
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
        EMBEDDING,
        /** Image generation, edits and variations. */
        IMAGE,
        /** Text to speech. */
        SPEECH,
        /** Speech to text: transcription and translation. */
        TRANSCRIPTION,
        RERANK,
        MODERATION;

        /** The catalog's spelling: {@code chat}, {@code embedding}, {@code image}, … */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Whether the model serves a media endpoint, whose price may be per unit instead of per token. */
        public boolean billedByUnits() {
            return this != CHAT && this != EMBEDDING;
        }

        public static Optional<Kind> parse(String wire) {
            for (Kind kind : values()) {
                if (kind.wire().equals(wire)) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }

        public static String names() {
            return String.join(", ", java.util.Arrays.stream(values()).map(Kind::wire).toList());
        }
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
