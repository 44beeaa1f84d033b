package dev.junction.protocol;

import dev.junction.core.ErrorKind;
import dev.junction.core.Needs;
import dev.junction.core.TokenUsage;
import dev.junction.core.Units;

/**
 * A client's request in the API it speaks, with what the relay needs of every request whatever the
 * channel: the model asked for, whether a stream was asked for, what the model must be able to do,
 * what it is billed by, and the API's error shapes. It is one of two kinds, and the relay serves
 * each by its own route:
 *
 * <ul>
 *   <li>a {@link TranslatableRequest chat-like} request (OpenAI chat, Anthropic Messages, OpenAI
 *       Responses, Gemini) has a canonical form, so any channel type serves it, by pass-through or by
 *       translation, whole or streamed;
 *   <li>an {@link EndpointRequest endpoint} request (embeddings, images, audio, moderations, rerank)
 *       has no chat form: each channel type either has a route of its own for it or has none.
 * </ul>
 *
 * The split is sealed, so the compiler, not a run-time refusal, keeps an endpoint request from being
 * asked for messages, a canonical form or a stream encoder.
 */
public sealed interface ClientRequest permits TranslatableRequest, EndpointRequest {

    /** The public model the client asked for. */
    String model();

    /** Whether the client asked for a streamed answer. */
    boolean stream();

    /**
     * What the request asks of the model that serves it (tools, images, a JSON schema, its size),
     * for routing to drop candidates that cannot serve it; computed by one scan on each call.
     */
    default Needs needs() {
        return Needs.NONE;
    }

    /**
     * What the served request is billed by, for its usage row and its budget: its tokens (input plus
     * output) unless the endpoint bills per unit (images, characters of speech, seconds of audio,
     * rerank searches), read from the answer where the provider reports them, else from the request.
     *
     * @param usage the tokens the relay counted
     * @param delivered whether an answer reached the client (nothing was made otherwise)
     */
    default Units units(TokenUsage usage, boolean delivered) {
        return Units.tokens(usage);
    }

    /** A gateway-made error body in the client's API shape. */
    byte[] errorBody(ErrorKind kind, String message);

    /** A provider's own error, relayed in the client's API shape with the provider's words. */
    byte[] relayedError(int status, ProviderError error);

    /** The in-band event that ends a stream which broke after content was sent; never a clean finish. */
    byte[] streamError(ErrorKind kind, String message);

    /**
     * What a committed stream sends the client for a keep-alive ({@code comment}: an upstream's SSE
     * comment, or {@code : ping} for a translated ping): the comment itself, which every SSE parser
     * skips, unless the client's API has readers that do not.
     */
    default byte[] keepAlive(byte[] comment) {
        return comment;
    }
}
