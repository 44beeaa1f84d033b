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
        TextChunk text = TextChunk.read(event.data());
        if (text != null) {
            // The chunk of almost every token, read without a tree.
            List<StreamEvent> events = new ArrayList<>(3);
            begin(text.responseId(), text.modelVersion(), events);
            parts(text.parts(), events);
            usage(text.usage() == null ? usage : CandidateReader.usage(text.usage()), events);
            end(finished ? null : reader.finish(text.finishReason()), events);
            return events;
        }
        ObjectNode chunk = JsonTrees.object(event.data());
        List<StreamEvent> events = new ArrayList<>(4);
        StreamError error = StreamError.of(chunk);
        if (error != null) {
            return List.of(new StreamEvent.Error(error.status(), error.message()));
        }
        begin(JsonTrees.string(chunk, "responseId"), JsonTrees.string(chunk, "modelVersion"), events);
        parts(reader.parts(chunk), events);
        usage(CandidateReader.usage(chunk, usage), events);
        end(finished ? null : reader.finish(chunk), events);
        return events;
    }

    private void begin(String id, String model, List<StreamEvent> events) {
        if (!started) {
            started = true;
            events.add(new StreamEvent.Started(id, model));
        }
    }

    private void parts(List<Part> parts, List<StreamEvent> events) {
        for (Part part : parts) {
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
    }

    private void usage(Usage now, List<StreamEvent> events) {
        if (!now.equals(usage)) {
            usage = now;
            events.add(new StreamEvent.UsageReport(usage));
        }
    }

    private void end(CandidateReader.Finish finish, List<StreamEvent> events) {
        if (finish == null) {
            return;
        }
        if (finish.error() != null) {
            events.add(new StreamEvent.Error("MALFORMED_FUNCTION_CALL", finish.error()));
            return;
        }
        finished = true;
        if (finish.refusal() != null) {
            events.add(new StreamEvent.Refusal(finish.refusal()));
        }
        events.add(new StreamEvent.Finish(finish.reason()));
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
