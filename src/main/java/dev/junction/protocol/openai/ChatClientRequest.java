package dev.junction.protocol.openai;

import dev.junction.core.ChannelApi;
import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import dev.junction.core.ErrorKind;
import dev.junction.core.Needs;
import dev.junction.protocol.NeedsScan;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.protocol.ClientStream;
import dev.junction.protocol.PassThrough;
import dev.junction.protocol.ProviderError;
import dev.junction.protocol.TranslatableRequest;
import java.util.Objects;
import java.util.Optional;

/** An OpenAI {@code /v1/chat/completions} request, servable by any channel type. */
public final class ChatClientRequest implements TranslatableRequest {

    private final ChatRequest request;

    private ChatClientRequest(ChatRequest request) {
        this.request = request;
    }

    public static ChatClientRequest of(ChatRequest request) {
        return new ChatClientRequest(Objects.requireNonNull(request, "request"));
    }

    public ChatRequest request() {
        return request;
    }

    @Override
    public String model() {
        return request.model();
    }

    @Override
    public boolean stream() {
        return request.stream();
    }

    @Override
    public Optional<PassThrough> passThrough(ChannelApi api) {
        return api.type() == ChannelType.OPENAI ? Optional.of(new ChatPassThrough(request)) : Optional.empty();
    }

    @Override
    public CanonicalRequest canonical(ChannelQuirks quirks) {
        return OpenAiChatDecoder.decode(request, quirks);
    }

    @Override
    public byte[] encode(CanonicalResponse response, long createdEpochSeconds) {
        return ChatCompletionEncoder.encode(response, createdEpochSeconds);
    }

    @Override
    public ClientStream streamEncoder(String fallbackId, String model, long createdEpochSeconds) {
        return ChatChunkEncoder.create("chatcmpl-" + fallbackId, model, createdEpochSeconds,
                request.clientWantsUsage());
    }

    @Override
    public Needs needs() {
        return NeedsScan.of(request.body());
    }

    @Override
    public byte[] errorBody(ErrorKind kind, String message) {
        return OpenAiErrors.body(kind, message);
    }

    @Override
    public byte[] relayedError(int status, ProviderError error) {
        return OpenAiErrors.relayed(status, error.type(), error.message());
    }

    @Override
    public byte[] streamError(ErrorKind kind, String message) {
        return OpenAiErrors.streamEvent(kind, message);
    }
}
