package dev.junction.relay;

import dev.junction.core.ChannelApi;
import dev.junction.core.ChannelType;
import dev.junction.http.SseEvent;
import dev.junction.protocol.PassThrough;
import dev.junction.protocol.anthropic.AnthropicClientRequest;
import dev.junction.protocol.openai.ChatClientRequest;
import dev.junction.protocol.openai.ChatRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The pass-through stream handler as the stream loop drives it (scan, relay), with continuation on
 * ({@code keep = true}: each relayed event is kept for a possible continuation) and off: the cost
 * of the bookkeeping per event. {@code stream}: a whole answer (lifecycle events, 18 text deltas,
 * the finish) on a fresh handler; divide by the event count for the cost per event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PassThroughRelayBench {

    @Param({"chat", "messages"})
    public String api;

    @Param({"false", "true"})
    public boolean keep;

    private PassThroughAttempt attempt;
    private List<SseEvent> events;
    private Blackhole hole;

    private final StreamLoop.Output out = new StreamLoop.Output() {
        @Override
        public void lifecycle(byte[] bytes) {
            hole.consume(bytes);
        }

        @Override
        public void content(byte[] bytes) {
            hole.consume(bytes);
        }

        @Override
        public void keepAlive(byte[] bytes) {
            hole.consume(bytes);
        }
    };

    @Setup
    public void setUp(Blackhole blackhole) {
        hole = blackhole;
        PassThrough route;
        if (api.equals("chat")) {
            route = ChatClientRequest.of(ChatRequest.parse(("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":"
                    + "\"user\",\"content\":\"Hi\"}]}").getBytes(StandardCharsets.UTF_8)))
                    .passThrough(ChannelApi.of(ChannelType.OPENAI)).orElseThrow();
            events = chatEvents();
        } else {
            route = AnthropicClientRequest.parse(("{\"model\":\"claude-sonnet\",\"max_tokens\":1024,\"stream\":true,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").getBytes(StandardCharsets.UTF_8), null,
                    null).passThrough(ChannelApi.of(ChannelType.ANTHROPIC)).orElseThrow();
            events = messagesEvents();
        }
        attempt = new PassThroughAttempt(null, route, keep);
    }

    int eventCount() {
        return events.size();
    }

    @Benchmark
    public Object stream() throws Exception {
        StreamLoop.Handler handler = attempt.stream();
        for (SseEvent event : events) {
            handler.onEvent(event, out);
        }
        return handler.usage();
    }

    private static List<SseEvent> chatEvents() {
        String head = "{\"id\":\"chatcmpl-AbCdEf0123456789\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0123456789\",\"choices\":[{\"index\":0,"
                + "\"delta\":";
        List<SseEvent> events = new ArrayList<>();
        events.add(data(null, head + "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,"
                + "\"finish_reason\":null}]}"));
        for (int i = 0; i < 18; i++) {
            events.add(data(null, head + "{\"content\":\" token" + i + "\"},\"logprobs\":null,\"finish_reason\":null}]}"));
        }
        events.add(data(null, head + "{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}"));
        events.add(data(null, "[DONE]"));
        return events;
    }

    private static List<SseEvent> messagesEvents() {
        List<SseEvent> events = new ArrayList<>();
        events.add(data("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5-20250929\","
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":1200,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":1024,\"output_tokens\":1}}}"));
        events.add(data("content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        events.add(data("ping", "{\"type\": \"ping\"}"));
        for (int i = 0; i < 18; i++) {
            events.add(data("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\" token" + i + "\"}}"));
        }
        events.add(data("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        events.add(data("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":99}}"));
        events.add(data("message_stop", "{\"type\":\"message_stop\"}"));
        return events;
    }

    private static SseEvent data(String name, String json) {
        String raw = (name == null ? "" : "event: " + name + "\n") + "data: " + json + "\n\n";
        return new SseEvent(raw.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8), name, true);
    }
}
