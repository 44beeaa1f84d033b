package dev.junction.protocol.gemini;

import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.core.canonical.Usage;
import dev.junction.protocol.ClientStream;
import dev.junction.protocol.JsonTrees;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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

    private final boolean includeThoughts;
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
            case StreamEvent.TextDelta d -> event(JsonTrees.MAPPER.createObjectNode().put("text", d.text()));
            case StreamEvent.ReasoningDelta d when !includeThoughts || d.text().isEmpty() -> null;
            case StreamEvent.ReasoningDelta d -> event(JsonTrees.MAPPER.createObjectNode().put("text", d.text())
                    .put("thought", true));
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
        List<ObjectNode> parts = calls();
        if (parts.isEmpty()) {
            parts.add(JsonTrees.MAPPER.createObjectNode().put("text", ""));
        }
        return sse(GenerateContentResponseEncoder.chunk(parts, GenerateContentResponseEncoder.finishReason(
                finish == null ? FinishReason.STOP : finish), usage, model, id));
    }

    @Override
    public Usage usage() {
        return usage;
    }

    private byte[] flushCalls() {
        List<ObjectNode> parts = calls();
        return parts.isEmpty() ? null : send(parts);
    }

    private List<ObjectNode> calls() {
        List<ObjectNode> parts = new ArrayList<>();
        for (PendingCall call : pending) {
            parts.add(GenerateContentResponseEncoder.functionCall(call.id, call.name, call.arguments.toString(),
                    null));
        }
        pending.clear();
        return parts;
    }

    /** Text after held calls: the calls first, in the same event. */
    private byte[] event(ObjectNode part) {
        List<ObjectNode> parts = calls();
        parts.add(part);
        return send(parts);
    }

    private byte[] send(List<ObjectNode> parts) {
        started = true;
        return sse(GenerateContentResponseEncoder.chunk(parts, null, null, model, id));
    }

    private static byte[] sse(byte[] json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + 8);
        out.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(json);
        out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
