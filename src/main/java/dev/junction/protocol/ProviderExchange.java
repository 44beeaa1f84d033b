package dev.junction.protocol;

import dev.junction.core.canonical.CanonicalResponse;

/**
 * One prepared call to a provider and how to read what comes back. It carries what decoding
 * needs to know about the request (for example the synthetic tool that carries a JSON answer).
 */
public interface ProviderExchange {

    ProviderCall call();

    /**
     * Reads a complete 2xx answer.
     *
     * @throws MalformedAnswerException when the body is not the provider's answer
     */
    CanonicalResponse decode(byte[] body);

    /** A decoder for this call's event stream. */
    StreamDecoder streamDecoder();
}
