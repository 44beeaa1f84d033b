package dev.junction.protocol;

import dev.junction.core.ChannelApi;
import dev.junction.core.ErrorKind;
import dev.junction.core.Needs;
import dev.junction.core.TokenUsage;
import dev.junction.core.Units;
import java.util.Optional;

/**
 * A client's request in the API it speaks (OpenAI chat, Anthropic Messages, OpenAI Responses,
 * Gemini, OpenAI embeddings), with what the relay needs to serve it from any channel: a byte
 * pass-through (or a translated route of its own) to a channel that can take it, the form it
 * takes for a channel reached through the canonical model, and its API's error shapes. The relay
 * only ever talks to this interface, so every client API reaches every channel type through one
 * loop.
 */
public interface ClientRequest {

    /** The public model the client asked for. */
    String model();

    /** Whether the client asked for a server-sent-event stream. */
    boolean stream();

    /**
     * The route to a channel speaking {@code api} that needs no canonical chat form: a byte
     * pass-through when that channel speaks the client's API, or a request-specific route (OpenAI
     * embeddings from a gemini channel); empty when the channel is reached by translation.
     */
    Optional<PassThrough> passThrough(ChannelApi api);

    /**
     * This request for a channel it has no {@link #passThrough} to: the form the relay translates
     * through the canonical model.
     *
     * @throws dev.junction.core.GatewayException (400) when a channel speaking {@code api} cannot
     *     serve this kind of request (embeddings from an anthropic channel)
     */
    TranslatableRequest translatable(ChannelApi api);

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
     * A request, in the client's own API, asking a channel speaking {@code api} to continue a broken
     * answer: this request plus {@code partial} as the assistant's turn and {@code pleaseContinue}
     * as a user turn. Empty (the default) when the continuation goes by translation instead; the
     * Responses API uses it for {@code responses: true} channels, which may serve nothing else.
     */
    default Optional<PassThrough.Continued> continuation(ChannelApi api, String partial, String pleaseContinue) {
        return Optional.empty();
    }

    /**
     * What a committed stream sends the client for a keep-alive ({@code comment}: an upstream's SSE
     * comment, or {@code : ping} for a translated ping): the comment itself, which every SSE parser
     * skips, unless the client's API has readers that do not.
     */
    default byte[] keepAlive(byte[] comment) {
        return comment;
    }
}
