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

    /**
     * A request with every setting at its default (no instructions, messages or tools, automatic
     * tool choice with parallel calls allowed, default sampling, plain text, not streamed); for
     * code that sets only a few fields, such as tests.
     */
    public static Builder builder() {
        return new Builder();
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

    /** Builds a {@link CanonicalRequest}; every field has a default. */
    public static final class Builder {

        private List<Part.Text> system = List.of();
        private List<Message> messages = List.of();
        private List<Tool> tools = List.of();
        private ToolChoice toolChoice = ToolChoice.AUTO;
        private boolean parallelToolCalls = true;
        private Sampling sampling = Sampling.DEFAULT;
        private Optional<ReasoningEffort> reasoning = Optional.empty();
        private ResponseFormat responseFormat = ResponseFormat.TEXT;
        private boolean stream;
        private boolean includeUsage;
        private String user;

        private Builder() {
        }

        public Builder system(List<Part.Text> system) {
            this.system = List.copyOf(system);
            return this;
        }

        public Builder messages(List<Message> messages) {
            this.messages = List.copyOf(messages);
            return this;
        }

        public Builder messages(Message... messages) {
            return messages(List.of(messages));
        }

        public Builder tools(List<Tool> tools) {
            this.tools = List.copyOf(tools);
            return this;
        }

        public Builder toolChoice(ToolChoice toolChoice) {
            this.toolChoice = Objects.requireNonNull(toolChoice, "toolChoice");
            return this;
        }

        public Builder parallelToolCalls(boolean parallelToolCalls) {
            this.parallelToolCalls = parallelToolCalls;
            return this;
        }

        public Builder sampling(Sampling sampling) {
            this.sampling = Objects.requireNonNull(sampling, "sampling");
            return this;
        }

        public Builder reasoning(ReasoningEffort reasoning) {
            this.reasoning = Optional.of(reasoning);
            return this;
        }

        public Builder responseFormat(ResponseFormat responseFormat) {
            this.responseFormat = Objects.requireNonNull(responseFormat, "responseFormat");
            return this;
        }

        public Builder stream(boolean stream) {
            this.stream = stream;
            return this;
        }

        public Builder includeUsage(boolean includeUsage) {
            this.includeUsage = includeUsage;
            return this;
        }

        /** The client's end-user id; null for none. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public CanonicalRequest build() {
            return new CanonicalRequest(system, messages, tools, toolChoice, parallelToolCalls, sampling, reasoning,
                    responseFormat, stream, includeUsage, user);
        }
    }
}
