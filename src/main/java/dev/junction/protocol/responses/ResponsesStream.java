package dev.junction.protocol.responses;

import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.core.canonical.Usage;
import dev.junction.protocol.ClientStream;
import dev.junction.protocol.JsonOut;
import dev.junction.protocol.JsonTrees;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a canonical stream as Responses API server-sent events, each with its {@code event:} line
 * and a rising {@code sequence_number}: {@code response.created} and {@code response.in_progress}
 * with the first content, then per output item {@code output_item.added}, its content events
 * ({@code content_part.added}, {@code output_text.delta}/{@code .done}, {@code content_part.done};
 * {@code reasoning_summary_*}; {@code function_call_arguments.delta}/{@code .done}) and
 * {@code output_item.done}, and at the end {@code response.completed} (or
 * {@code response.incomplete}) with every item and the usage. Codex reads its final items from
 * {@code output_item.done} and fails a stream without {@code response.completed}.
 */
final class ResponsesStream implements ClientStream {

    private enum Kind { MESSAGE, REASONING, CALL }

    /** The output item being streamed. */
    private static final class Open {
        final Kind kind;
        final int outputIndex;
        final String id;
        final StringBuilder text = new StringBuilder();
        String encrypted;
        String callId;
        String name;
        int toolIndex = -1;

        Open(Kind kind, int outputIndex, String id) {
            this.kind = kind;
            this.outputIndex = outputIndex;
            this.id = id;
        }
    }

    private final ResponsesOutput output;
    private final String model;
    private final long created;
    private final Sequence sequence;
    private final Consumer<ObjectNode> finished;
    private final ArrayNode items = JsonTrees.MAPPER.createArrayNode();
    private final JsonOut out = new JsonOut();
    private boolean started;
    private Open open;
    private Usage usage = Usage.NONE;
    private FinishReason finish = FinishReason.STOP;

    /**
     * @param finished gets the final response object once the answer is complete
     */
    ResponsesStream(ResponsesOutput output, String model, long createdEpochSeconds, Sequence sequence,
            Consumer<ObjectNode> finished) {
        this.output = output;
        this.model = model;
        this.created = createdEpochSeconds;
        this.sequence = sequence;
        this.finished = finished;
    }

    /**
     * A stream that continues one a provider began (passed through, then broken): started, with
     * the provider's finished items, and its message item open with the text so far (or none, with
     * {@code messageId} null), so that the continuation's text goes on in that item.
     */
    static ResponsesStream resumed(ResponsesOutput output, String model, long createdEpochSeconds, Sequence sequence,
            Consumer<ObjectNode> finished, List<ObjectNode> done, String messageId, int outputIndex, String text) {
        ResponsesStream stream = new ResponsesStream(output, model, createdEpochSeconds, sequence, finished);
        stream.started = true;
        done.forEach(stream.items::add);
        if (messageId != null) {
            stream.open = new Open(Kind.MESSAGE, outputIndex, messageId);
            stream.open.text.append(text);
        }
        return stream;
    }

    @Override
    public byte[] encode(StreamEvent event) {
        JsonOut out = this.out.reset();
        switch (event) {
            case StreamEvent.TextDelta(String text) when !text.isEmpty() -> {
                Open message = ensure(out, Kind.MESSAGE);
                message.text.append(text);
                delta(out, Delta.TEXT, message, text);
            }
            case StreamEvent.ReasoningDelta(String text) when !text.isEmpty() -> {
                Open reasoning = ensure(out, Kind.REASONING);
                reasoning.text.append(text);
                delta(out, Delta.REASONING, reasoning, text);
            }
            case StreamEvent.ReasoningSignature(String signature) -> {
                if (open != null && open.kind == Kind.REASONING) {
                    open.encrypted = signature;
                }
            }
            case StreamEvent.RedactedReasoning(String data) -> {
                start(out);
                close(out);
                Open reasoning = new Open(Kind.REASONING, items.size(), output.itemId("rs", items.size()));
                reasoning.encrypted = data;
                emit(out, "response.output_item.added", outputEvent(reasoning).set("item",
                        ResponsesOutput.reasoning(reasoning.id, null, null)));
                open = reasoning;
                close(out);
            }
            case StreamEvent.ToolCallStart(int index, String id, String name) -> {
                start(out);
                close(out);
                Open call = new Open(Kind.CALL, items.size(), output.itemId("fc", items.size()));
                call.callId = id;
                call.name = name;
                call.toolIndex = index;
                open = call;
                emit(out, "response.output_item.added", outputEvent(call).set("item",
                        output.call(call.id, id, name, "", "in_progress")));
            }
            case StreamEvent.ToolCallArguments(int index, String fragment) -> {
                if (open != null && open.kind == Kind.CALL && open.toolIndex == index && !fragment.isEmpty()) {
                    open.text.append(fragment);
                    if (!output.tools().custom().contains(open.name)) {
                        delta(out, Delta.ARGUMENTS, open, fragment);
                    }
                }
            }
            case StreamEvent.Refusal(String text) -> {
                start(out);
                close(out);
                String id = output.itemId("msg", items.size());
                ObjectNode item = ResponsesOutput.message(id, "in_progress");
                int index = items.size();
                emit(out, "response.output_item.added", sequenced().put("output_index", index).set("item", item));
                ObjectNode part = ResponsesOutput.refusalPart("");
                emit(out, "response.content_part.added", sequenced().put("item_id", id).put("output_index", index)
                        .put("content_index", 0).set("part", part));
                emit(out, "response.refusal.delta", sequenced().put("item_id", id).put("output_index", index)
                        .put("content_index", 0).put("delta", text));
                emit(out, "response.refusal.done", sequenced().put("item_id", id).put("output_index", index)
                        .put("content_index", 0).put("refusal", text));
                emit(out, "response.content_part.done", sequenced().put("item_id", id).put("output_index", index)
                        .put("content_index", 0).set("part", ResponsesOutput.refusalPart(text)));
                ObjectNode done = ResponsesOutput.message(id, "completed");
                ((ArrayNode) done.get("content")).add(ResponsesOutput.refusalPart(text));
                items.add(done);
                emit(out, "response.output_item.done", sequenced().put("output_index", index).set("item", done));
            }
            case StreamEvent.Finish(FinishReason reason) -> finish = reason;
            case StreamEvent.UsageReport(Usage report) -> usage = report;
            default -> {
                // Started, empty deltas, pings and errors show the client nothing here.
            }
        }
        return out.size() == 0 ? null : out.toByteArray();
    }

    @Override
    public byte[] end() {
        JsonOut out = this.out.reset();
        start(out);
        close(out);
        String status = ResponsesOutput.status(finish);
        ObjectNode response = output.response(model, created, status, items.deepCopy(), finish, usage);
        responseEvents(out, response, status.equals("completed") ? "response.completed" : "response.incomplete");
        finished.accept(response);
        return out.toByteArray();
    }

    @Override
    public dev.junction.core.canonical.Usage usage() {
        return usage;
    }

    // --- items -----------------------------------------------------------------------------------

    /** The open item of this kind, closing another kind's and opening a new one as needed. */
    private Open ensure(JsonOut out, Kind kind) {
        start(out);
        if (open != null && open.kind == kind) {
            return open;
        }
        close(out);
        int index = items.size();
        if (kind == Kind.MESSAGE) {
            open = new Open(kind, index, output.itemId("msg", index));
            emit(out, "response.output_item.added", outputEvent(open).set("item",
                    ResponsesOutput.message(open.id, "in_progress")));
            emit(out, "response.content_part.added", itemEvent(open).put("content_index", 0)
                    .set("part", ResponsesOutput.textPart("")));
        } else {
            open = new Open(kind, index, output.itemId("rs", index));
            emit(out, "response.output_item.added", outputEvent(open).set("item",
                    ResponsesOutput.reasoning(open.id, null, null)));
            emit(out, "response.reasoning_summary_part.added", itemEvent(open).put("summary_index", 0)
                    .set("part", ResponsesOutput.summaryPart("")));
        }
        return open;
    }

    /** Finishes the open item: its closing content events, then {@code output_item.done}. */
    private void close(JsonOut out) {
        if (open == null) {
            return;
        }
        Open item = open;
        open = null;
        String text = item.text.toString();
        ObjectNode done = switch (item.kind) {
            case MESSAGE -> {
                emit(out, "response.output_text.done", itemEvent(item).put("content_index", 0).put("text", text)
                        .set("logprobs", JsonTrees.MAPPER.createArrayNode()));
                emit(out, "response.content_part.done", itemEvent(item).put("content_index", 0)
                        .set("part", ResponsesOutput.textPart(text)));
                ObjectNode message = ResponsesOutput.message(item.id, "completed");
                ((ArrayNode) message.get("content")).add(ResponsesOutput.textPart(text));
                yield message;
            }
            case REASONING -> {
                if (!text.isEmpty()) {
                    emit(out, "response.reasoning_summary_text.done", itemEvent(item).put("summary_index", 0)
                            .put("text", text));
                    emit(out, "response.reasoning_summary_part.done", itemEvent(item).put("summary_index", 0)
                            .set("part", ResponsesOutput.summaryPart(text)));
                }
                yield ResponsesOutput.reasoning(item.id, text, item.encrypted);
            }
            case CALL -> {
                String arguments = text.isEmpty() ? "{}" : text;
                if (!output.tools().custom().contains(item.name)) {
                    emit(out, "response.function_call_arguments.done", itemEvent(item).put("name", item.name)
                            .put("arguments", arguments));
                }
                yield output.call(item.id, item.callId, item.name, arguments, "completed");
            }
        };
        items.add(done);
        emit(out, "response.output_item.done", outputEvent(item).set("item", done));
    }

    /** {@code response.created} and {@code response.in_progress}, once, before anything else. */
    private void start(JsonOut out) {
        if (started) {
            return;
        }
        started = true;
        ObjectNode response = output.response(model, created, "in_progress", JsonTrees.MAPPER.createArrayNode(),
                null, null);
        responseEvents(out, response, "response.created", "response.in_progress");
    }

    // --- events ----------------------------------------------------------------------------------

    private ObjectNode sequenced() {
        return JsonTrees.MAPPER.createObjectNode().put("sequence_number", sequence.next());
    }

    private ObjectNode outputEvent(Open item) {
        return sequenced().put("output_index", item.outputIndex);
    }

    private ObjectNode itemEvent(Open item) {
        return sequenced().put("item_id", item.id).put("output_index", item.outputIndex);
    }

    /**
     * The delta events, one per token, written straight to bytes: each is
     * {@code {"type":…,"sequence_number":…,"item_id":…,"output_index":…,<index>,"delta":…<tail>}}.
     */
    private enum Delta {
        TEXT("response.output_text.delta", ",\"content_index\":0", ",\"logprobs\":[]}"),
        REASONING("response.reasoning_summary_text.delta", ",\"summary_index\":0", "}"),
        ARGUMENTS("response.function_call_arguments.delta", "", "}");

        final byte[] head;
        final byte[] index;
        final byte[] tail;

        Delta(String type, String index, String tail) {
            this.head = JsonOut.ascii("event: " + type + "\ndata: {\"type\":\"" + type + "\",\"sequence_number\":");
            this.index = JsonOut.ascii(index + ",\"delta\":");
            this.tail = JsonOut.ascii(tail + "\n\n");
        }
    }

    private static final byte[] EVENT = JsonOut.ascii("event: ");
    private static final byte[] DATA = JsonOut.ascii("\ndata: {\"type\":");
    private static final byte[] SEQUENCE = JsonOut.ascii(",\"sequence_number\":");
    private static final byte[] RESPONSE = JsonOut.ascii(",\"response\":");
    private static final byte[] COMMA = JsonOut.ascii(",");
    private static final byte[] END_OBJECT = JsonOut.ascii("}");
    private static final byte[] END_EVENT = JsonOut.ascii("\n\n");
    private static final byte[] ITEM_ID = JsonOut.ascii(",\"item_id\":");
    private static final byte[] OUTPUT_INDEX = JsonOut.ascii(",\"output_index\":");

    private void delta(JsonOut out, Delta kind, Open item, String delta) {
        out.raw(kind.head).number(sequence.next()).raw(ITEM_ID).string(item.id).raw(OUTPUT_INDEX)
                .number(item.outputIndex).raw(kind.index).string(delta).raw(kind.tail);
    }

    /** One event: {@code event: <type>} and the JSON with {@code type} first. */
    private static void emit(JsonOut out, String type, ObjectNode body) {
        byte[] json = JsonTrees.bytes(body);
        head(out, type);
        if (json.length > 2) {
            out.raw(COMMA).raw(json, 1, json.length - 1); // the body's fields after the type
        } else {
            out.raw(END_OBJECT);
        }
        out.raw(END_EVENT);
    }

    static byte[] event(String type, ObjectNode body) {
        JsonOut out = new JsonOut();
        emit(out, type, body);
        return out.toByteArray();
    }

    /** Events that carry the response object, which is serialized once for all of them. */
    private void responseEvents(JsonOut out, ObjectNode response, String... types) {
        byte[] json = JsonTrees.bytes(response);
        for (String type : types) {
            head(out, type);
            out.raw(SEQUENCE).number(sequence.next()).raw(RESPONSE).raw(json).raw(END_OBJECT).raw(END_EVENT);
        }
    }

    /** {@code event: <type>} and the JSON up to its {@code type}. */
    private static void head(JsonOut out, String type) {
        out.raw(EVENT).markup(type).raw(DATA).string(type);
    }
}
