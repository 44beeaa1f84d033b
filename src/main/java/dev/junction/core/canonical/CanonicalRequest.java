package dev.junction.core.canonical;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A chat request in the gateway's own terms, decoded from the client's format and encoded into a
 * provider's.
 *
 * @param system system and developer instructions, in the order the client gave them
 * @param messages the conversation, without instructions
 * @param tools functions the model may call
 * @param toolChoice whether it must call one
 * @param parallelToolCalls whether it may call several in one turn
 * @param sampling limits and sampling parameters
 * @param reasoning how hard to think, when the client asked
 * @param responseFormat the answer's shape
 * @param stream whether the client wants the answer streamed
 * @param includeUsage whether a streaming client asked for a usage chunk
 * @param user the client's end-user id, or null
 */
public record CanonicalRequest(List<Part.Text> system, List<Message> messages, List<Tool> tools,
        ToolChoice toolChoice, boolean parallelToolCalls, Sampling sampling, Optional<ReasoningEffort> reasoning,
        ResponseFormat responseFormat, boolean stream, boolean includeUsage, String user) {

    public CanonicalRequest {
        system = List.copyOf(system);
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        Objects.requireNonNull(toolChoice, "toolChoice");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(reasoning, "reasoning");
        Objects.requireNonNull(responseFormat, "responseFormat");
    }

    /** The function name a tool call id refers to, from the assistant turn that made the call. */
    public Optional<String> toolName(String callId) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            for (Part part : messages.get(i).parts()) {
                if (part instanceof Part.ToolCall call && call.id().equals(callId)) {
                    return Optional.of(call.name());
                }
            }
        }
        return Optional.empty();
    }
}
