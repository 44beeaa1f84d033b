package dev.junction.protocol.gemini;

import dev.junction.core.canonical.Part;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.core.canonical.Usage;
import dev.junction.http.SseEvent;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.StreamDecoder;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads {@code streamGenerateContent?alt=sse}: each event is a whole {@code GenerateContentResponse}
 * holding the next parts. Gemini sends a function call whole in one part, so it becomes a tool-call
 * start and one argument delta; the stream ends after the chunk with a {@code finishReason}.
 */
final class GenerateContentStreamDecoder implements StreamDecoder {

    private final CandidateReader reader;
    private int toolCalls;
    private boolean started;
    private boolean finished;
    private Usage usage = Usage.NONE;

    GenerateContentStreamDecoder(String idSeed) {
        this.reader = new CandidateReader(idSeed);
    }

    @Override
    public boolean complete() {
        return finished;
    }

    @Override
    public List<StreamEvent> decode(SseEvent event) {
        if (!event.hasData()) {
            return List.of();
        }
        ObjectNode chunk = JsonTrees.object(event.data());
        List<StreamEvent> events = new ArrayList<>(4);
        StreamError error = StreamError.of(chunk);
        if (error != null) {
            return List.of(new StreamEvent.Error(error.status(), error.message()));
        }
        if (!started) {
            started = true;
            events.add(new StreamEvent.Started(JsonTrees.string(chunk, "responseId"),
                    JsonTrees.string(chunk, "modelVersion")));
        }
        for (Part part : reader.parts(chunk)) {
            switch (part) {
                case Part.Text text -> events.add(new StreamEvent.TextDelta(text.text()));
                case Part.Reasoning reasoning -> events.add(new StreamEvent.ReasoningDelta(reasoning.text()));
                case Part.ToolCall call -> {
                    int index = toolCalls++;
                    events.add(new StreamEvent.ToolCallStart(index, call.id(), call.name()));
                    events.add(new StreamEvent.ToolCallArguments(index, call.arguments()));
                }
                default -> {
                }
            }
        }
        Usage now = CandidateReader.usage(chunk, usage);
        if (!now.equals(usage)) {
            usage = now;
            events.add(new StreamEvent.UsageReport(usage));
        }
        CandidateReader.Finish finish = finished ? null : reader.finish(chunk);
        if (finish != null) {
            if (finish.error() != null) {
                events.add(new StreamEvent.Error("MALFORMED_FUNCTION_CALL", finish.error()));
                return events;
            }
            finished = true;
            if (finish.refusal() != null) {
                events.add(new StreamEvent.Refusal(finish.refusal()));
            }
            events.add(new StreamEvent.Finish(finish.reason()));
        }
        return events;
    }

    /** An {@code {"error":{…}}} object sent inside the stream. */
    private record StreamError(String status, String message) {
        static StreamError of(ObjectNode chunk) {
            JsonNode error = chunk.get("error");
            if (error == null || !error.isObject()) {
                return null;
            }
            String status = JsonTrees.string(error, "status");
            String message = JsonTrees.string(error, "message");
            return new StreamError(status == null ? "error" : status, message == null ? "error" : message);
        }
    }
}
