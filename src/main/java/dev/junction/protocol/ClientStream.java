package dev.junction.protocol;

import dev.junction.core.canonical.StreamEvent;
import dev.junction.core.canonical.Usage;

/** Writes canonical stream events in a client's API, one event at a time. One per stream. */
public interface ClientStream {

    /** The bytes for one event, or null when it shows the client nothing yet (lifecycle, usage, pings). */
    byte[] encode(StreamEvent event);

    /** What ends a complete answer in the client's API (e.g. {@code data: [DONE]}). */
    byte[] end();

    /** Token counts reported so far. */
    Usage usage();
}
