package dev.junction.protocol;

import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request to a provider, before the channel's base URL is known to it.
 *
 * @param path appended to the channel's {@code base_url}, query included
 * @param headers request headers, the credential among them
 * @param body the JSON body
 */
public record ProviderCall(String path, Map<String, String> headers, byte[] body) {

    public ProviderCall {
        Objects.requireNonNull(path, "path");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }
}
