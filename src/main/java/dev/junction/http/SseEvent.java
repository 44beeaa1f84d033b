package dev.junction.http;

/**
 * One server-sent event as read off the wire.
 *
 * @param raw the event's bytes exactly as received, blank-line terminator included, for relaying
 * @param data the {@code data:} lines joined by {@code \n}; empty for comment-only events
 * @param name the {@code event:} name, or null
 * @param hasData whether any {@code data:} line was present
 */
public record SseEvent(byte[] raw, byte[] data, String name, boolean hasData) {
}
