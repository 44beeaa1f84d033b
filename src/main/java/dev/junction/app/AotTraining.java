package dev.junction.app;

import dev.junction.config.ConfigLoader;
import dev.junction.config.GatewayConfig;
import dev.junction.core.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * {@code junction aot-training}: a few seconds of the gateway's real work (read a config file,
 * open and migrate a database, start, answer a plain and a streamed chat completion from a stub
 * provider, stop) for the launcher to record with {@code -XX:AOTCacheOutput} (JDK 25, JEP 514 and
 * 515). Later starts then find these classes already loaded and linked, and their profiles, in
 * the cache, which roughly halves the time to a healthy {@code /health}. Loopback only; the state
 * lives in a temporary folder that is removed afterwards.
 */
final class AotTraining {

    private static final String KEY = "sk-aot-training-key";
    private static final byte[] ANSWER = ("{\"id\":\"t\",\"object\":\"chat.completion\",\"created\":0,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] STREAM = ("data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
            + "\"content\":\"hi\"},\"finish_reason\":null}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}\n\n"
            + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);

    private AotTraining() {
    }

    static int run() throws Exception {
        Path dir = Files.createTempDirectory("junction-aot-training");
        Server provider = stubProvider();
        try {
            Path config = dir.resolve("junction.yaml");
            Files.writeString(config, """
                    listen: 127.0.0.1:0
                    database: sqlite:%s/junction.db
                    keys:
                      - name: training
                        key: %s
                    channels:
                      - name: stub
                        type: openai
                        base_url: http://127.0.0.1:%d/v1
                        api_key: sk-stub
                        models: [m]
                    """.formatted(dir, KEY, ((ServerConnector) provider.getConnectors()[0]).getLocalPort()));
            GatewayConfig loaded = ConfigLoader.withEnvironment(name -> null).load(config);
            try (Gateway gateway = Gateway.start(loaded, name -> null, Clock.system(), new Random())) {
                int port = gateway.port();
                for (int i = 0; i < 20; i++) {
                    call(port, "GET", "/health", null);
                    call(port, "GET", "/v1/models", null);
                    call(port, "POST", "/v1/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\","
                            + "\"content\":\"hi\"}]}");
                    call(port, "POST", "/v1/chat/completions", "{\"model\":\"m\",\"stream\":true,\"messages\":"
                            + "[{\"role\":\"user\",\"content\":\"hi\"}]}");
                }
            }
        } finally {
            provider.stop();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private static Server stubProvider() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                boolean stream = Content.Source.asString(request).contains("\"stream\":true");
                response.getHeaders().put("Content-Type", stream ? "text/event-stream" : "application/json");
                response.write(true, ByteBuffer.wrap(stream ? STREAM : ANSWER), callback);
                return true;
            }
        });
        server.start();
        return server;
    }

    /** One HTTP/1.1 exchange on a fresh connection; the answer is read and dropped. */
    private static void call(int port, String method, String path, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Authorization: Bearer " + KEY + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + content.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
