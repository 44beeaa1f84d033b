package dev.junction.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * A provider's answer whose status and headers have arrived; the body is read as it comes. Closing
 * it (or {@link #abort()}) releases the connection; aborting mid-body also cancels the upstream
 * call, so a client that goes away stops the provider from generating.
 */
public interface UpstreamResponse extends AutoCloseable {

    int status();

    /** A response header, or null. */
    String header(String name);

    /** Whether a header's name starts with {@code prefix}, in any case: one pass over the headers. */
    boolean hasHeaderStartingWith(String prefix);

    /**
     * The body. Reads fail with an {@link IOException} whose cause chain holds an
     * {@link UpstreamFailure} when the upstream stalls or drops the connection.
     */
    InputStream body();

    /** Reads the whole body, failing when it exceeds {@code maxBytes}. */
    byte[] readAll(int maxBytes) throws UpstreamFailure;

    /** Converts a read failure on {@link #body()} into the failure that caused it. */
    UpstreamFailure failure(IOException readError);

    /** Cancels the upstream call now. */
    void abort();

    @Override
    void close();
}
