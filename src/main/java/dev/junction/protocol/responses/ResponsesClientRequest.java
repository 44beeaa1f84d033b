package dev.junction.protocol.responses;

import dev.junction.core.ChannelApi;
import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import dev.junction.core.ErrorKind;
import dev.junction.core.Needs;
import dev.junction.protocol.NeedsScan;
import dev.junction.core.GatewayException;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.protocol.ClientStream;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.PassThrough;
import dev.junction.protocol.ProviderError;
import dev.junction.protocol.TranslatableRequest;
import dev.junction.protocol.openai.OpenAiErrors;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OpenAI {@code POST /v1/responses} request (what Codex speaks), servable by any channel: passed
 * through to an {@code openai} channel that serves the Responses API, translated through the
 * canonical model for every other channel.
 *
 * <p>State: with {@code store: false} (Codex) the client sends the whole conversation each turn and
 * nothing is kept. Otherwise the answer and the input that led to it are kept in the
 * {@link ResponseLog}, and a later {@code previous_response_id} is expanded into that history
 * before translation (or before the pass-through, which then sends the whole conversation).
 */
public final class ResponsesClientRequest implements TranslatableRequest {

    private final ResponsesRequest request;
    private final ResponseLog log;
    /** Every input item of the conversation: the stored history, then this request's input. */
    private final ArrayNode items;
    /** Whether {@code previous_response_id} named an answer kept here (the upstream does not know it). */
    private final boolean expanded;
    private final ResponsesOutput output;
    private final Sequence sequence = new Sequence();
    private final AtomicBoolean saved = new AtomicBoolean();
    /** When the answer was created, for the response object of an in-band error. */
    private volatile long created;

    private ResponsesClientRequest(ResponsesRequest request, ResponseLog log, ArrayNode items, boolean expanded,
            String responseId) {
        this.request = request;
        this.log = log;
        this.items = items;
        this.expanded = expanded;
        this.output = new ResponsesOutput(responseId, ResponsesDecoder.toolNames(request.root().path("tools")),
                ResponsesOutput.echo(request.root()));
    }

    /**
     * Reads a request body and expands its {@code previous_response_id}.
     *
     * @param responseId the id this request's answer gets when the gateway makes it
     * @throws GatewayException 400 for a malformed request, 404 for an unknown previous response
     */
    public static ResponsesClientRequest parse(byte[] body, ResponseLog log, String responseId) {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(responseId, "responseId");
        ResponsesRequest request = ResponsesRequest.parse(body);
        ArrayNode items = JsonTrees.MAPPER.createArrayNode();
        String previous = request.previousResponseId();
        if (previous != null) {
            ResponseLog.Entry entry = log.find(previous).orElseThrow(() -> GatewayException.of(ErrorKind.NOT_FOUND,
                    "Previous response with id '" + previous + "' not found. Answers are kept for a limited time, "
                            + "and only when the request did not say store: false."));
            items.addAll((ArrayNode) JsonTrees.parse(entry.input()));
            for (JsonNode item : JsonTrees.parse(entry.response()).path("output")) {
                items.add(item);
            }
        }
        items.addAll(ResponsesDecoder.items(request.root().get("input")));
        return new ResponsesClientRequest(request, log, items, previous != null, responseId);
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
        if (api.type() != ChannelType.OPENAI || !api.responses()) {
            return Optional.empty();
        }
        ResponsesRequest upstream = request;
        if (expanded) {
            // The upstream never saw the stored answer: send the whole conversation instead of its id.
            ObjectNode root = request.root().deepCopy();
            root.remove("previous_response_id");
            root.set("input", items);
            upstream = ResponsesRequest.parse(JsonTrees.bytes(root));
        }
        return Optional.of(new ResponsesPassThrough(upstream, sequence, this::finished, output));
    }

    /**
     * A continuation for a {@code responses: true} channel, in the Responses API: the whole
     * conversation ({@code previous_response_id} expanded), the answer so far as an assistant
     * message and the request to go on as a user message (the Responses API has no prefill), streamed
     * and not stored upstream; its events are read by {@link ResponsesStreamDecoder}.
     */
    @Override
    public Optional<PassThrough.Continued> continuation(ChannelApi api, String partial, String pleaseContinue) {
        if (api.type() != ChannelType.OPENAI || !api.responses()) {
            return Optional.empty();
        }
        ObjectNode root = request.root().deepCopy();
        root.remove("previous_response_id");
        ArrayNode input = JsonTrees.MAPPER.createArrayNode();
        input.addAll(items);
        input.addObject().put("type", "message").put("role", "assistant").putArray("content").addObject()
                .put("type", "output_text").put("text", partial);
        input.addObject().put("type", "message").put("role", "user").putArray("content").addObject()
                .put("type", "input_text").put("text", pleaseContinue);
        root.set("input", input);
        root.put("stream", true);
        root.put("store", false);
        ResponsesRequest upstream = ResponsesRequest.parse(JsonTrees.bytes(root));
        return Optional.of(new PassThrough.Continued(new ResponsesPassThrough(upstream, sequence, ignored -> {
        }, output), new ResponsesStreamDecoder()));
    }

    @Override
    public CanonicalRequest canonical(ChannelQuirks quirks) {
        return ResponsesDecoder.decode(request.root(), items, quirks);
    }

    @Override
    public byte[] encode(CanonicalResponse response, long createdEpochSeconds) {
        ObjectNode body = output.response(response.model(), createdEpochSeconds,
                ResponsesOutput.status(response.finish()), output.items(response), response.finish(),
                response.usage());
        finished(body);
        return JsonTrees.bytes(body);
    }

    @Override
    public ClientStream streamEncoder(String fallbackId, String model, long createdEpochSeconds) {
        created = createdEpochSeconds;
        return new ResponsesStream(output, model, createdEpochSeconds, sequence, this::finished);
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

    /**
     * A {@code response.failed} event: Codex and the SDKs take it as a failed turn, never as a
     * complete answer.
     */
    @Override
    public byte[] streamError(ErrorKind kind, String message) {
        ObjectNode response = output.response(request.model(), created, "failed", JsonTrees.MAPPER.createArrayNode(),
                null, null);
        response.putObject("error").put("code", "server_error").put("message", message);
        ObjectNode event = JsonTrees.MAPPER.createObjectNode().put("sequence_number", sequence.next());
        event.set("response", response);
        return ResponsesStream.event("response.failed", event);
    }

    /** Keeps a finished answer, with the input that led to it, unless the client said {@code store: false}. */
    private void finished(ObjectNode response) {
        if (!request.store() || !saved.compareAndSet(false, true)) {
            return;
        }
        String id = JsonTrees.string(response, "id");
        log.save(new ResponseLog.Entry(id == null ? output.responseId() : id, request.model(), JsonTrees.text(items),
                JsonTrees.text(response)));
    }
}
