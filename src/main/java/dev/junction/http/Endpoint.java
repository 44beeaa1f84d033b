package dev.junction.http;

/**
 * Serves one route. An endpoint answers every outcome itself, errors included, in its own API's
 * shape; anything it throws becomes a generic 500 without internals.
 */
@FunctionalInterface
public interface Endpoint {

    void handle(Exchange exchange) throws Exception;
}
