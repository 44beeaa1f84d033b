package dev.junction.relay;

import dev.junction.core.ErrorKind;

/** How errors look in the API the client speaks (DESIGN.md §4). */
public interface ClientFormat {

    /** A complete JSON error body. */
    byte[] errorBody(ErrorKind kind, String message);

    /** The in-band event that ends a broken stream; never followed by a clean finish. */
    byte[] streamError(ErrorKind kind, String message);
}
