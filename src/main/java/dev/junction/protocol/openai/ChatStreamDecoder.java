package dev.junction.protocol.openai;

import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.core.canonical.Usage;
import dev.junction.http.SseEvent;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.MalformedAnswerException;
import dev.junction.protocol.ProviderError;
import dev.junction.protocol.StreamDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a {@code chat.completion.chunk} event stream from an OpenAI-style provider.
 *
 * <p>Tool calls are where providers differ. OpenAI opens a call with its {@code index}, id and
 * name and then streams argument fragments under that index, parallel calls possibly interleaved;
 * others send the id or the name a chunk late, split the name, omit the id, or send each call
 * whole without an index. So a call is announced ({@link StreamEvent.ToolCallStart}) only once its
 * arguments begin (or the answer finishes), with whatever id and name arrived by then; a missing id
 * is made from the answer's seed. Canonical indices count calls in the order they start.
 *
 * <p>The answer is complete after {@code [DONE]} or after a {@code finish_reason} (several
 * providers never send {@code [DONE]}); the usage chunk that follows the finish is still read.
 * Exactly one {@link StreamEvent.Finish} is produced, at the first finish or at {@code [DONE]}.
 * Memory is bounded: per call its id and name, and until it starts the arguments that came before
 * its name (at most {@link #MAX_PENDING} characters), for at most {@link #MAX_CALLS} calls.
 */
final class ChatStreamDecoder implements StreamDecoder {

    /** Name and arguments held for a call that has not started, at most. */
    static final int MAX_PENDING = 1 << 20;
    /** Tool calls in one answer, at most. */
    static final int MAX_CALLS = 1024;

    /** One tool call's bookkeeping. {@code index} is its canonical index once started, else -1. */
    private static final class Call {
        String id;
        final StringBuilder name = new StringBuilder();
        StringBuilder pending = new StringBuilder();
        int index = -1;

        boolean started() {
            return index >= 0;
        }
    }

    private final String idSeed;
    /** Calls by the provider's index (or a negative key for calls sent without one), in order of appearance. */
    private final Map<Integer, Call> calls = new LinkedHashMap<>();
    private Integer lastKey;
    private int unindexed;
    private int starts;
    private boolean began;
    private boolean refused;
    private boolean finished;
    private boolean done;
    private Usage usage = Usage.NONE;

    ChatStreamDecoder(String idSeed) {
        this.idSeed = idSeed;
    }

    @Override
    public boolean complete() {
        return finished || done;
    }

    @Override
    public List<StreamEvent> decode(SseEvent event) {
        if (!event.hasData()) {
            return List.of(new StreamEvent.Ping()); // ": keep-alive", ": OPENROUTER PROCESSING"
        }
        if (done) {
            return List.of();
        }
        if (ChunkScan.isDone(event.data())) {
            done = true;
            List<StreamEvent> events = new ArrayList<>(2);
            finish(null, events);
            return events;
        }
        ContentChunk plain = "error".equals(event.name()) ? null : ContentChunk.read(event.data());
        if (plain != null) {
            // The chunk of almost every token, read without a tree.
            List<StreamEvent> events = new ArrayList<>(2);
            begin(plain.id(), plain.model(), events);
            if (!finished) {
                delta(plain.reasoning(), plain.content() == null ? "" : plain.content(), plain.refusal(), events);
            }
            end(plain.finishReason(), events);
            return events;
        }
        ObjectNode chunk = JsonTrees.object(event.data());
        if (chunk.hasNonNull("error") || "error".equals(JsonTrees.string(chunk, "object"))
                || "error".equals(event.name())) {
            ProviderError error = ProviderError.read(event.data());
            return List.of(new StreamEvent.Error(error.type().isEmpty() ? "error" : error.type(), error.message()));
        }
        List<StreamEvent> events = new ArrayList<>(4);
        begin(JsonTrees.string(chunk, "id"), JsonTrees.string(chunk, "model"), events);
        JsonNode choice = chunk.path("choices").path(0);
        if (!finished) {
            JsonNode delta = choice.path("delta");
            delta(ChatResponseDecoder.reasoning(delta), ChatResponseDecoder.text(delta.get("content")),
                    JsonTrees.string(delta, "refusal"), events);
            for (JsonNode entry : delta.path("tool_calls")) {
                toolCall(entry, events);
            }
        }
        // Usage arrives in a chunk of its own with empty choices (OpenAI), with the finish (DeepSeek,
        // Zhipu), in every chunk (vLLM with continuous usage) or inside the choice (Moonshot).
        JsonNode reported = chunk.hasNonNull("usage") ? chunk.get("usage") : choice.get("usage");
        if (reported != null && reported.isObject()) {
            Usage now = ChatUsage.read(reported);
            if (!now.equals(usage)) {
                usage = now;
                events.add(new StreamEvent.UsageReport(now));
            }
        }
        end(JsonTrees.string(choice, "finish_reason"), events);
        return events;
    }

    /** The answer's start, at its first chunk. */
    private void begin(String id, String model, List<StreamEvent> events) {
        if (!began) {
            began = true;
            events.add(new StreamEvent.Started(id, model));
        }
    }

    /** The finish, at the first chunk that gives a reason. */
    private void end(String reason, List<StreamEvent> events) {
        if (reason != null && !finished) {
            finish(reason, events);
        }
    }

    /** A delta's reasoning, text and refusal, in that order. */
    private void delta(String reasoning, String text, String refusal, List<StreamEvent> events) {
        if (!reasoning.isEmpty()) {
            events.add(new StreamEvent.ReasoningDelta(reasoning));
        }
        if (!text.isEmpty()) {
            events.add(new StreamEvent.TextDelta(text));
        }
        if (refusal != null && !refusal.isEmpty()) {
            refused = true;
            events.add(new StreamEvent.Refusal(refusal));
        }
    }

    private void toolCall(JsonNode entry, List<StreamEvent> events) {
        String id = JsonTrees.string(entry, "id");
        JsonNode function = entry.path("function");
        String name = JsonTrees.string(function, "name");
        String arguments = ChatResponseDecoder.arguments(function.get("arguments"));
        Call call = calls.computeIfAbsent(key(entry, id, name), _ -> new Call());
        if (calls.size() > MAX_CALLS) {
            throw new MalformedAnswerException("more than " + MAX_CALLS + " tool calls in one answer");
        }
        if (call.started()) {
            if (!arguments.isEmpty()) {
                events.add(new StreamEvent.ToolCallArguments(call.index, arguments));
            }
            return;
        }
        if (call.id == null && id != null && !id.isEmpty()) {
            call.id = id;
        }
        // A name split over chunks is joined; one repeated whole in every chunk is taken once.
        if (name != null && !name.isEmpty() && !name.contentEquals(call.name)) {
            call.name.append(name);
        }
        call.pending.append(arguments);
        if (call.name.length() + call.pending.length() > MAX_PENDING) {
            throw new MalformedAnswerException("a tool call held more than " + MAX_PENDING
                    + " characters before its function name and arguments were known");
        }
        if (!call.name.isEmpty() && !call.pending.isEmpty()) {
            start(call, events);
        }
    }

    /**
     * The provider's index; without one (calls sent whole), a new call when the entry names a new
     * id or a function after the last call has started, else more of the last call.
     */
    private Integer key(JsonNode entry, String id, String name) {
        JsonNode index = entry.get("index");
        if (index != null && index.isIntegralNumber() && index.canConvertToInt() && index.intValue() >= 0) {
            lastKey = index.intValue();
            return lastKey;
        }
        Call last = lastKey == null ? null : calls.get(lastKey);
        boolean fresh = last == null
                || id != null && !id.isEmpty() && last.id != null && !id.equals(last.id)
                || name != null && !name.isEmpty() && last.started();
        if (fresh) {
            lastKey = -1 - unindexed++;
        }
        return lastKey;
    }

    private void start(Call call, List<StreamEvent> events) {
        call.index = starts++;
        String id = call.id != null ? call.id : ToolCallIds.generated(idSeed, call.index);
        events.add(new StreamEvent.ToolCallStart(call.index, id, call.name.toString()));
        if (!call.pending.isEmpty()) {
            events.add(new StreamEvent.ToolCallArguments(call.index, call.pending.toString()));
        }
        call.pending = null;
    }

    /**
     * Announces the calls still waiting for arguments (they take none), then the finish; a finish
     * that reports a provider failure becomes an error and leaves the answer incomplete.
     *
     * @param reason the provider's finish reason, or null at {@code [DONE]} without one
     */
    private void finish(String reason, List<StreamEvent> events) {
        if (finished) {
            return;
        }
        for (Call call : calls.values()) {
            if (!call.started()) {
                if (call.name.isEmpty()) {
                    throw new MalformedAnswerException("a tool call ended without a function name");
                }
                boolean noArguments = call.pending.isEmpty();
                start(call, events);
                if (noArguments) {
                    events.add(new StreamEvent.ToolCallArguments(call.index, "{}"));
                }
            }
        }
        FinishReasons.Finish finish = FinishReasons.read(reason, starts > 0);
        if (finish.error() != null) {
            events.add(new StreamEvent.Error(reason, finish.error()));
            return;
        }
        finished = true;
        if (finish.reason() == FinishReason.CONTENT_FILTER && !refused) {
            events.add(new StreamEvent.Refusal(finish.refusal()));
        }
        events.add(new StreamEvent.Finish(finish.reason()));
    }
}
