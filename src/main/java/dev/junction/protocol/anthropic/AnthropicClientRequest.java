package dev.junction.protocol.anthropic;

import dev.junction.core.ChannelApi;
import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import dev.junction.core.ErrorKind;
import dev.junction.core.Needs;
import dev.junction.protocol.NeedsScan;
import dev.junction.core.GatewayException;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.protocol.ClientJson;
import dev.junction.protocol.ClientStream;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.PassThrough;
import dev.junction.protocol.ProviderError;
import dev.junction.protocol.TranslatableRequest;
import java.util.Objects;
import java.util.Optional;

/**
 * An Anthropic {@code POST /v1/messages} request (Claude Code, the Anthropic SDKs), servable by any
 * channel type: byte pass-through to Anthropic channels, canonical translation for the others, with
 * answers and errors written back in the Messages API's shapes. Also carries
 * {@code /v1/messages/count_tokens}, which only an Anthropic channel can answer (see
 * {@link #countTokens}).
 */
public final class AnthropicClientRequest implements TranslatableRequest {

    private static final String MESSAGES = "/v1/messages";
    private static final String COUNT_TOKENS = "/v1/messages/count_tokens";

    private final MessagesBody body;
    private final String path;
    private final String version;
    private final String beta;

    private AnthropicClientRequest(MessagesBody body, String path, String version, String beta) {
        this.body = body;
        this.path = path;
        this.version = version;
        this.beta = beta;
    }

    /**
     * Reads a {@code /v1/messages} body.
     *
     * @param version the client's {@code anthropic-version} header, or null
     * @param beta the client's {@code anthropic-beta} header, or null
     * @throws GatewayException (400) for malformed JSON or a missing {@code model}, {@code messages}
     *     or {@code max_tokens}
     */
    public static AnthropicClientRequest parse(byte[] body, String version, String beta) {
        return new AnthropicClientRequest(MessagesBody.parse(body, true), MESSAGES, version, beta);
    }

    /** Reads a {@code /v1/messages/count_tokens} body (no {@code max_tokens}, never streamed). */
    public static AnthropicClientRequest parseCountTokens(byte[] body, String version, String beta) {
        return new AnthropicClientRequest(MessagesBody.parse(body, false), COUNT_TOKENS, version, beta);
    }

    /** Whether this is a count_tokens request rather than a message. */
    public boolean countTokens() {
        return path.equals(COUNT_TOKENS);
    }

    /**
     * A local estimate of the input tokens, for models no Anthropic channel serves: the request's
     * text, tool calls and tool declarations counted with the gateway's tokenizer
     * ({@link dev.junction.protocol.Tokens}, {@code o200k_base}), images at a flat rate. Claude's
     * own tokenizer differs by some percent: good for context budgeting, not for billing. A request
     * the canonical model cannot read falls back to four bytes of JSON a token.
     */
    public byte[] estimateTokens() {
        long tokens;
        try {
            tokens = dev.junction.protocol.Tokens.estimate(canonical(dev.junction.core.ChannelQuirks.NONE));
        } catch (RuntimeException e) {
            tokens = (body.body().length + 3) / 4;
        }
        tokens = Math.max(1, tokens);
        return JsonTrees.bytes(JsonTrees.MAPPER.createObjectNode().put("input_tokens", tokens));
    }

    @Override
    public String model() {
        return body.model();
    }

    @Override
    public boolean stream() {
        return body.stream() && !countTokens();
    }

    @Override
    public Optional<PassThrough> passThrough(ChannelApi api) {
        return api.type() == ChannelType.ANTHROPIC ? Optional.of(new MessagesPassThrough(body, path, version, beta))
                : Optional.empty();
    }

    @Override
    public CanonicalRequest canonical(ChannelQuirks quirks) {
        if (countTokens()) {
            throw GatewayException.invalidRequest("count_tokens is answered only by Anthropic channels.");
        }
        return MessagesRequestDecoder.decode(ClientJson.object(body.body()));
    }

    @Override
    public byte[] encode(CanonicalResponse response, long createdEpochSeconds) {
        return MessagesResponseEncoder.encode(response);
    }

    @Override
    public ClientStream streamEncoder(String fallbackId, String model, long createdEpochSeconds) {
        return new MessagesStreamEncoder("msg_" + fallbackId, model);
    }

    @Override
    public Needs needs() {
        return NeedsScan.of(body.body());
    }

    @Override
    public byte[] errorBody(ErrorKind kind, String message) {
        return AnthropicErrors.body(kind, message);
    }

    @Override
    public byte[] relayedError(int status, ProviderError error) {
        Objects.requireNonNull(error, "error");
        return AnthropicErrors.relayed(status, error.type(), error.message());
    }

    @Override
    public byte[] streamError(ErrorKind kind, String message) {
        return AnthropicErrors.streamEvent(message);
    }
}
