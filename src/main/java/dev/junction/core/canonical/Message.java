package dev.junction.core.canonical;

import java.util.List;
import java.util.Objects;

/**
 * One turn of the conversation. System and developer instructions are not messages here: they
 * live in {@link CanonicalRequest#system()}, because every provider but OpenAI keeps them apart.
 *
 * @param role who spoke
 * @param parts what was said, in order
 */
public record Message(Role role, List<Part> parts) {

    /** Who produced a message. Tool results are their own role; encoders merge them as their API needs. */
    public enum Role { USER, ASSISTANT, TOOL }

    public Message {
        Objects.requireNonNull(role, "role");
        parts = List.copyOf(parts);
    }

    public static Message user(List<Part> parts) {
        return new Message(Role.USER, parts);
    }

    public static Message assistant(List<Part> parts) {
        return new Message(Role.ASSISTANT, parts);
    }

    public static Message tool(Part.ToolResult result) {
        return new Message(Role.TOOL, List.of(result));
    }
}
