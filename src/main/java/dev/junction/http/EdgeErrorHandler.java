package dev.junction.http;

import dev.junction.core.Clock;
import dev.junction.core.RequestIds;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error page, for what Jetty answers before (or instead of) the gateway's handler: a
 * header block over the size limit (431), a URI too long (414), an unreadable request line or
 * {@code Content-Length}, an ambiguous path such as {@code //} or {@code %2f}, a missing
 * {@code Host} (400), an unmet {@code Expect} (417), an unknown HTTP version (505). The answer is
 * JSON in the client API's error shape with an {@code x-request-id}, like every other error, instead
 * of Jetty's HTML page.
 */
final class EdgeErrorHandler extends ErrorHandler {

    /** The path Jetty gives a request whose request line could not be read. */
    private static final String UNPARSED = "/badMessage";

    private final Clock clock;

    EdgeErrorHandler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String reason = (String) request.getAttribute(ERROR_MESSAGE);
        if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException failure) {
            status = failure.getCode();
            response.setStatus(status);
            if (reason == null) {
                reason = failure.getReason();
            }
        }
        if (status < 400) {
            status = 500;
            response.setStatus(status);
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (!response.getHeaders().contains("x-request-id")) {
            response.getHeaders().put("x-request-id", RequestIds.next(clock));
        }
        if (HttpStatus.hasNoBody(status) || "HEAD".equals(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        byte[] body = EdgeErrors.body(pathOf(request), status, message(status, reason));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    private static String pathOf(Request request) {
        HttpURI uri = request.getHttpURI();
        String path = uri == null ? null : uri.getPath();
        return path == null || path.equals(UNPARSED) ? null : path;
    }

    /** What went wrong, in words; never an exception's text for a server-side failure. */
    static String message(int status, String reason) {
        String detail = reason == null || reason.isBlank() || status >= 500 && status != 505
                ? HttpStatus.getMessage(status) : reason;
        return switch (status) {
            case 413 -> "The request body is larger than the gateway's limit.";
            case 414 -> "The request URI is longer than the gateway's limit.";
            case 431 -> "The request headers are larger than the gateway's limit.";
            case 417 -> "The gateway cannot meet the request's Expect header (" + detail + ").";
            case 505 -> "The gateway speaks HTTP/1.1 and HTTP/1.0 only (" + detail + ").";
            default -> status >= 500 ? "The gateway failed unexpectedly (" + detail + ")."
                    : "The request could not be read: " + detail + ".";
        };
    }
}
