package dev.junction.protocol;

import dev.junction.http.UploadBody;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request to a provider, before the channel's base URL is known to it.
 *
 * @param path appended to the channel's {@code base_url}, query included
 * @param headers request headers, the credential among them
 * @param body the JSON body (empty when {@code upload} is sent instead)
 * @param upload a body streamed from where the gateway spooled it (a multipart upload), or null
 */
public record ProviderCall(String path, Map<String, String> headers, byte[] body, UploadBody upload) {

    public ProviderCall {
        Objects.requireNonNull(path, "path");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** A call with a JSON body. */
    public ProviderCall(String path, Map<String, String> headers, byte[] body) {
        this(path, headers, body, null);
    }

    /** A call whose body is an upload. */
    public static ProviderCall upload(String path, Map<String, String> headers, UploadBody upload) {
        return new ProviderCall(path, headers, new byte[0], Objects.requireNonNull(upload, "upload"));
    }
}
