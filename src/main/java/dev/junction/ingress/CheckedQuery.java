package dev.junction.ingress;

import dev.junction.core.GatewayException;
import dev.junction.http.Downstream;
import dev.junction.http.Exchange;
import java.util.Optional;

/**
 * The exchange with a malformed query string ({@code %zz}, a truncated {@code %}) reported as the
 * client's mistake — a 400 in its API's shape, recorded like any refusal — instead of the server's
 * decoding exception becoming a 500. Only a route that reads the query is affected. The body, once
 * read, is kept, so admission checks can look at it again (a budget's output limit).
 */
final class CheckedQuery implements Exchange {

    private final Exchange exchange;
    private byte[] body;

    CheckedQuery(Exchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public Optional<String> query(String name) {
        try {
            return exchange.query(name);
        } catch (GatewayException e) {
            throw e;
        } catch (RuntimeException e) {
            // The decoder's message may quote the query, which can hold a key: say what is wrong instead.
            throw GatewayException.invalidRequest("The URL's query string is malformed: every '%' must be "
                    + "followed by two hexadecimal digits, and the text must be UTF-8.");
        }
    }

    @Override
    public String requestId() {
        return exchange.requestId();
    }

    @Override
    public String method() {
        return exchange.method();
    }

    @Override
    public String path() {
        return exchange.path();
    }

    @Override
    public Optional<String> header(String name) {
        return exchange.header(name);
    }

    @Override
    public byte[] body() {
        if (body == null) {
            body = exchange.body();
        }
        return body;
    }

    @Override
    public java.io.InputStream bodyStream() {
        return exchange.bodyStream();
    }

    /** The body if it was read whole ({@link #body}); null when it was not, or was streamed (an upload). */
    byte[] bodyIfRead() {
        return body;
    }

    @Override
    public Downstream downstream() {
        return exchange.downstream();
    }

    @Override
    public String remoteAddress() {
        return exchange.remoteAddress();
    }

    @Override
    public boolean secure() {
        return exchange.secure();
    }
}
