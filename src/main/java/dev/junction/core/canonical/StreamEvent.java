package dev.junction.core.canonical;

import java.util.Objects;

/**
 * One step of a streamed answer. Provider stream decoders produce these; the client's stream
 * encoder turns them into its own chunks. Tool calls are numbered by {@code index} in the order
 * they start (0, 1, 2…), whatever block or part numbering the provider uses.
 */
public sealed interface StreamEvent {

    /** The answer began; carries its id and model. Lifecycle only: nothing for the client yet. */
    record Started(String id, String model) implements StreamEvent {
    }

    record TextDelta(String text) implements StreamEvent {
    }

    record ReasoningDelta(String text) implements StreamEvent {
    }

    /** The signature that closes a reasoning block (Anthropic), needed to replay it. */
    record ReasoningSignature(String signature) implements StreamEvent {
    }

    /** An encrypted reasoning block, whole. */
    record RedactedReasoning(String data) implements StreamEvent {
    }

    /** A function call begins. */
    record ToolCallStart(int index, String id, String name) implements StreamEvent {
        public ToolCallStart {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
        }
    }

    /** More of a function call's JSON arguments. */
    record ToolCallArguments(int index, String fragment) implements StreamEvent {
    }

    /** The answer is withheld; says why. */
    record Refusal(String text) implements StreamEvent {
    }

    /** The model stopped. Sent once. */
    record Finish(FinishReason reason) implements StreamEvent {
    }

    /** Token counts so far; the last report wins. Lifecycle only. */
    record UsageReport(Usage usage) implements StreamEvent {
    }

    /** The provider reported an error inside the stream. */
    record Error(String type, String message) implements StreamEvent {
    }

    /** A keep-alive from the provider; useful only to keep the client's connection warm. */
    record Ping() implements StreamEvent {
    }
}
