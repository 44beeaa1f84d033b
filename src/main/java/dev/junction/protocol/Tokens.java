package dev.junction.protocol;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.Message;
import dev.junction.core.canonical.Part;
import dev.junction.core.canonical.Tool;

/**
 * The gateway's tokenizer for estimates: OpenAI's {@code o200k_base} BPE (jtokkit), used when a
 * provider reports no usage and for the local {@code count_tokens} answers. Other providers'
 * tokenizers differ by some percent; an estimate is marked as one ({@code token_source}).
 */
public final class Tokens {

    /** Tokens an image costs in an estimate (a mid-sized image on OpenAI and Anthropic). */
    static final long PER_IMAGE = 765;
    /** Framing tokens per message (role, separators). */
    static final long PER_MESSAGE = 4;

    private static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    private Tokens() {
    }

    /** The exact count of {@code text} in {@code o200k_base}. */
    public static long count(String text) {
        return text.isEmpty() ? 0 : ENCODING.countTokensOrdinary(text);
    }

    /** An estimate of a request's prompt: its system text, messages, tool calls and results, and tool declarations. */
    public static long estimate(CanonicalRequest request) {
        long tokens = 0;
        for (Part.Text text : request.system()) {
            tokens += count(text.text());
        }
        for (Message message : request.messages()) {
            tokens += PER_MESSAGE;
            for (Part part : message.parts()) {
                tokens += part(part);
            }
        }
        for (Tool tool : request.tools()) {
            tokens += count(tool.name()) + count(tool.description() == null ? "" : tool.description())
                    + count(tool.parametersJson() == null ? "" : tool.parametersJson());
        }
        return tokens;
    }

    private static long part(Part part) {
        return switch (part) {
            case Part.Text text -> count(text.text());
            case Part.Reasoning reasoning -> count(reasoning.text() == null ? "" : reasoning.text());
            case Part.ToolCall call -> count(call.name()) + count(call.arguments() == null ? "" : call.arguments());
            case Part.ToolResult result -> result.content().stream().mapToLong(Tokens::part).sum();
            case Part.Image image -> PER_IMAGE;
            case Part.Document document -> PER_IMAGE;
            case Part.RedactedReasoning redacted -> 0;
        };
    }
}
