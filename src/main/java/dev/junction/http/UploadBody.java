package dev.junction.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request body for a provider that is streamed rather than held in memory: an upload (a
 * multipart form with an audio file or images) read from where the gateway spooled it. It can be
 * opened more than once, so a failed attempt's body is sent again to the next channel.
 */
public interface UploadBody {

    /** The {@code Content-Type} sent with it, e.g. {@code multipart/form-data; boundary=…}. */
    String contentType();

    /** Its exact length in bytes, sent as {@code Content-Length}. */
    long length();

    /** A fresh stream over the whole body; the caller closes it. */
    InputStream open() throws IOException;
}
