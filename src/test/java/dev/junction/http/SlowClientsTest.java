package dev.junction.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.core.Clock;
import dev.junction.core.GatewayException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow and greedy clients against a real server with short bounds: a request dripping its headers
 * or its body is cut off, and an address over its connection cap is refused while the connections
 * it already holds keep working.
 */
class SlowClientsTest {

    private static final Duration BOUND = Duration.ofMillis(600);
    /** Far longer than any bound here: a connection still open after it was not cut. */
    private static final int GIVE_UP_MILLIS = 20_000;

    private GatewayServer server;

    /** Echoes the body's length; a body that cannot be read gets the endpoint's 400. */
    private int start(int maxConnectionsPerAddress) throws Exception {
        Routes routes = Routes.builder()
                .route("POST", "/echo", exchange -> {
                    try {
                        byte[] body = exchange.body();
                        exchange.downstream().respond(200, "text/plain",
                                Integer.toString(body.length).getBytes(StandardCharsets.UTF_8));
                    } catch (GatewayException e) {
                        exchange.downstream().respond(400, "application/json",
                                EdgeErrors.body(exchange.path(), 400, e.getMessage()));
                    }
                })
                .notFound(exchange -> exchange.downstream().respond(404, "text/plain", new byte[0]))
                .methodNotAllowed((path, allowed) -> exchange -> exchange.downstream().respond(405, "text/plain", new byte[0]))
                .build();
        ServerLimits limits = new ServerLimits(BOUND, BOUND, 64 * 1024, maxConnectionsPerAddress, true,
                Duration.ofSeconds(1));
        server = GatewayServer.start("127.0.0.1", 0, routes, 1 << 20, Clock.system(), limits);
        return server.port();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }

    /** Sends {@code bytes} one at a time, 100 ms apart, until the server closes the connection; returns how many went out. */
    private static int drip(Socket socket, byte[] bytes) throws Exception {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        long giveUp = System.nanoTime() + Duration.ofMillis(GIVE_UP_MILLIS).toNanos();
        for (int i = 0; i < bytes.length && System.nanoTime() < giveUp; i++) {
            try {
                out.write(bytes[i]);
                out.flush();
            } catch (SocketException e) {
                return i; // reset: the server closed the connection
            }
            Thread.sleep(100);
            if (in.available() > 0 || closed(socket)) {
                return i + 1;
            }
        }
        return bytes.length;
    }

    private static boolean closed(Socket socket) throws IOException {
        socket.setSoTimeout(1);
        try {
            return socket.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        } finally {
            socket.setSoTimeout(GIVE_UP_MILLIS);
        }
    }

    @Test
    void headersDrippedByteByByteAreCutOffAfterTheHeaderBound() throws Exception {
        int port = start(0);
        byte[] request = ("POST /echo HTTP/1.1\r\nHost: x\r\nX-Slow: " + "y".repeat(400) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            int sent = drip(socket, request);
            assertThat(sent).as("bytes sent before the server closed the connection").isLessThan(request.length);
        }
    }

    @Test
    void aBodyDrippedByteByByteIsRefusedAndTheConnectionClosed() throws Exception {
        int port = start(0);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(GIVE_UP_MILLIS);
            socket.getOutputStream().write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 400\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            int sent = drip(socket, "z".repeat(400).getBytes(StandardCharsets.US_ASCII));
            assertThat(sent).isLessThan(400);
            RawHttp.Response response = RawHttp.read(socket.getInputStream());
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("did not arrive in time");
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(socket.getInputStream().read()).as("the connection is closed after the answer").isEqualTo(-1);
        }
    }

    @Test
    void aBodySentInTimeIsServed() throws Exception {
        int port = start(0);
        RawHttp.Response response = RawHttp.exchange(port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                + "\r\nhello");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("5");
    }

    @Test
    void anAddressOverItsConnectionCapIsRefusedWhileItsOtherConnectionsWork() throws Exception {
        int port = start(3);
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.setSoTimeout(GIVE_UP_MILLIS);
                held.add(socket);
                assertThat(echo(socket)).isEqualTo(200); // open and counted
            }
            try (Socket fourth = new Socket("127.0.0.1", port)) {
                fourth.setSoTimeout(GIVE_UP_MILLIS);
                RawHttp.Response refused = RawHttp.read(fourth.getInputStream());
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.header("connection")).isEqualTo("close");
                assertThat(refused.body()).contains("\"code\":\"too_many_connections\"");
                assertThat(fourth.getInputStream().read()).isEqualTo(-1);
            }
            for (Socket socket : held) {
                assertThat(echo(socket)).as("a connection held before the cap was reached").isEqualTo(200);
            }
            held.removeFirst().close();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline) {
                try (Socket again = new Socket("127.0.0.1", port)) {
                    again.setSoTimeout(GIVE_UP_MILLIS);
                    status = echo(again); // the closed connection's place may take a moment to free
                } catch (IOException e) {
                    status = 0;
                }
            }
            assertThat(status).as("a new connection once one was closed").isEqualTo(200);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    private static int echo(Socket socket) throws IOException {
        socket.getOutputStream().write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return RawHttp.read(socket.getInputStream()).status();
    }
}
