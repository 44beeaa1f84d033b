package dev.junction.core;

import java.util.Objects;

/**
 * What a channel's upstream speaks, as far as choosing a pass-through goes: its wire format, and
 * whether an {@code openai} channel also serves OpenAI's Responses API ({@code responses: true}
 * in the channel config). A client request picks the pass-through path from this alone.
 *
 * @param type the channel's wire format
 * @param responses whether the upstream serves {@code POST /responses} (openai channels only)
 */
public record ChannelApi(ChannelType type, boolean responses) {

    public ChannelApi {
        Objects.requireNonNull(type, "type");
    }

    /** A channel that speaks only its type's main API. */
    public static ChannelApi of(ChannelType type) {
        return new ChannelApi(type, false);
    }
}
