package dev.junction.protocol.gemini;

import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.core.canonical.Usage;
import dev.junction.protocol.ClientStream;
import dev.junction.protocol.JsonOut;
import dev.junction.protocol.JsonTrees;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes canonical stream events as {@code streamGenerateContent?alt=sse} events, each a whole
 * {@code GenerateContentResponse}. Gemini never streams a function call's arguments in pieces, so
 * a call is held until its arguments are complete (the next call, text, or the finish) and sent
 * whole in one chunk. The last chunk carries the {@code finishReason} and {@code usageMetadata}.
 */
final class GenerateContentStreamEncoder implements ClientStream {

    private static final byte[] DATA = JsonOut.ascii("data: ");
    private static final byte[] END_EVENT = JsonOut.ascii("\n\n");
    private static final byte[] COMMA = JsonOut.ascii(",");
    private static final byte[] TEXT = JsonOut.ascii("{\"text\":");
    private static final byte[] THOUGHT = JsonOut.ascii(",\"thought\":true}");
    private static final byte[] END_PART = JsonOut.ascii("}");

    private final boolean includeThoughts;
    private final JsonOut out = new JsonOut();
    private String id;
    private String model;
    private boolean started;
    private final List<PendingCall> pending = new ArrayList<>();
    private FinishReason finish;
    private Usage usage = Usage.NONE;

    GenerateContentStreamEncoder(String id, String model, boolean includeThoughts) {
        this.id = id;
        this.model = model;
        this.includeThoughts = includeThoughts;
    }

    /** A function call whose arguments are still arriving. */
    private static final class PendingCall {
        final String id;
        final String name;
        final StringBuilder arguments = new StringBuilder();

        PendingCall(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    @Override
    public byte[] encode(StreamEvent event) {
        return switch (event) {
            case StreamEvent.Started s -> {
                if (!started) {
                    id = s.id() == null || s.id().isEmpty() ? id : s.id();
                    model = s.model() == null || s.model().isEmpty() ? model : s.model();
                }
                yield null;
            }
            case StreamEvent.UsageReport report -> {
                usage = report.usage();
                yield null;
            }
            case StreamEvent.TextDelta d when d.text().isEmpty() -> null;
            case StreamEvent.TextDelta d -> send(calls(), d.text(), false);
            case StreamEvent.ReasoningDelta d when !includeThoughts || d.text().isEmpty() -> null;
            case StreamEvent.ReasoningDelta d -> send(calls(), d.text(), true);
            case StreamEvent.ToolCallStart start -> {
                byte[] before = flushCalls();
                pending.add(new PendingCall(start.id(), start.name()));
                yield before;
            }
            case StreamEvent.ToolCallArguments args -> {
                if (!pending.isEmpty()) {
                    pending.getLast().arguments.append(args.fragment());
                }
                yield null;
            }
            case StreamEvent.Finish f -> {
                finish = f.reason();
                yield flushCalls();
            }
            case StreamEvent.ReasoningSignature _, StreamEvent.RedactedReasoning _, StreamEvent.Refusal _,
                    StreamEvent.Error _, StreamEvent.Ping _ -> null;
        };
    }

    /** The closing chunk: calls still held, the finish reason and the usage. */
    @Override
    public byte[] end() {
        List<ObjectNode> calls = calls();
        return sse(calls, calls.isEmpty() ? "" : null, false, GenerateContentResponseEncoder.finishReason(
                finish == null ? FinishReason.STOP : finish), usage);
    }

    @Override
    public Usage usage() {
        return usage;
    }

    private byte[] flushCalls() {
        List<ObjectNode> calls = calls();
        return calls.isEmpty() ? null : send(calls, null, false);
    }

    /** The held calls as parts, whole; none held is the usual case. */
    private List<ObjectNode> calls() {
        if (pending.isEmpty()) {
            return List.of();
        }
        List<ObjectNode> parts = new ArrayList<>(pending.size());
        for (PendingCall call : pending) {
            parts.add(GenerateContentResponseEncoder.functionCall(call.id, call.name, call.arguments.toString(),
                    null));
        }
        pending.clear();
        return parts;
    }

    /** A chunk of held calls and then the text, if any. */
    private byte[] send(List<ObjectNode> calls, String text, boolean thought) {
        started = true;
        return sse(calls, text, thought, null, null);
    }

    private byte[] sse(List<ObjectNode> calls, String text, boolean thought, String finishReason, Usage usage) {
        out.reset().raw(DATA);
        GenerateContentResponseEncoder.chunk(out, parts -> {
            for (int i = 0; i < calls.size(); i++) {
                (i == 0 ? parts : parts.raw(COMMA)).raw(JsonTrees.bytes(calls.get(i)));
            }
            if (text != null) {
                (calls.isEmpty() ? parts : parts.raw(COMMA)).raw(TEXT).string(text).raw(thought ? THOUGHT : END_PART);
            }
        }, finishReason, usage, model, id);
        return out.raw(END_EVENT).toByteArray();
    }
}
