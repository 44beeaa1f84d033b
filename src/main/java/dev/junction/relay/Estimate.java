package dev.junction.relay;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.EndReason;
import dev.junction.core.TokenSource;
import dev.junction.core.TokenUsage;
import dev.junction.protocol.ClientRequest;
import dev.junction.protocol.TextTally;
import dev.junction.protocol.Tokens;
import dev.junction.protocol.EndpointRequest;
import dev.junction.protocol.TranslatableRequest;

/**
 * A streamed answer's tokens: the provider's report when it counted the output, else the
 * gateway's estimate. A stream cut before the provider's usage event, a client that left, or a
 * provider that sends no usage leaves output uncounted (or counted only up to an earlier event);
 * the estimate then counts the text the
 * client was actually sent ({@link TextTally}) and, when the provider did not give the prompt's
 * size either, the prompt ({@link Tokens#estimate}). Cache and reasoning details the provider
 * gave are kept.
 */
record Estimate(TokenUsage usage, TokenSource source) {

    static Estimate of(TokenUsage reported, TextTally delivered, ClientRequest request, EndReason end) {
        TokenUsage known = reported == null ? TokenUsage.NONE : reported;
        boolean whole = end == EndReason.DONE || end == EndReason.CONTINUED || end == EndReason.TAIL_MISSING;
        Estimate provider = new Estimate(known, known.equals(TokenUsage.NONE) ? TokenSource.NONE : TokenSource.PROVIDER);
        if ((whole && known.output() > 0) || delivered == null || delivered.isEmpty()) {
            return provider;
        }
        // A stream that ended early: what the provider said so far may be a placeholder (Anthropic's
        // message_start says output_tokens 1) or a running count (Gemini); the delivered text wins
        // when it is more.
        long output = delivered.tokens();
        if (output <= known.output()) {
            return provider;
        }
        long input = known.input() > 0 ? known.input() : prompt(request);
        TokenUsage estimated = new TokenUsage(Math.max(input, known.cacheRead() + known.cacheWrite()), output,
                known.cacheRead(), known.cacheWrite(), Math.min(known.reasoning(), output));
        return new Estimate(estimated, TokenSource.ESTIMATED);
    }

    private static long prompt(ClientRequest request) {
        return switch (request) {
            case TranslatableRequest chat -> {
                try {
                    yield Tokens.estimate(chat.canonical(ChannelQuirks.NONE));
                } catch (RuntimeException e) {
                    yield 0; // a request the canonical model cannot express: no prompt estimate
                }
            }
            case EndpointRequest _ -> 0; // embeddings and media: the provider's count or the request's units
        };
    }
}
