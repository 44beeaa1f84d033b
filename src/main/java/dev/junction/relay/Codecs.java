package dev.junction.relay;

import dev.junction.core.ChannelType;
import dev.junction.protocol.ChannelCodec;
import dev.junction.protocol.anthropic.AnthropicCodec;
import dev.junction.protocol.gemini.GeminiCodec;
import dev.junction.protocol.openai.OpenAiCodec;

/**
 * The codec of each channel type: the one place that knows which wire-format package serves a
 * type, so the wire-format packages never need to know each other.
 */
public final class Codecs {

    private Codecs() {
    }

    public static ChannelCodec of(ChannelType type) {
        return switch (type) {
            case ANTHROPIC -> AnthropicCodec.INSTANCE;
            case GEMINI -> GeminiCodec.INSTANCE;
            case OPENAI -> OpenAiCodec.INSTANCE;
        };
    }
}
