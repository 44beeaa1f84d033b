package dev.junction.core.canonical;

/** Why the model stopped. */
public enum FinishReason {
    /** It finished its answer or hit a stop sequence. */
    STOP,
    /** It reached the output token limit. */
    LENGTH,
    /** It called one or more functions and waits for their results. */
    TOOL_CALLS,
    /** A safety system stopped or blocked it. */
    CONTENT_FILTER
}
