package dev.junction.protocol.openai;

import dev.junction.protocol.ClientStream;
import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.core.canonical.Usage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import tools.jackson.core.JsonGenerator;

/**
 * Writes canonical stream events as OpenAI {@code chat.completion.chunk} server-sent events, one
 * event per call, so a token is relayed the moment it is decoded. It guarantees what OpenAI
 * clients rely on: the {@code role} arrives once, with the first delta; every tool call is
 * introduced with its {@code id}, {@code type} and {@code name} at its own {@code index} before
 * its argument deltas; exactly one chunk carries a {@code finish_reason}; the usage chunk
 * ({@code choices: []}) comes only when the client asked for it, just before {@code [DONE]}.
 *
 * <p>The constant head of every chunk (id, object, created, model) is rendered once.
 */
public final class ChatChunkEncoder implements ClientStream {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final long created;
    private final boolean includeUsage;
    private String id;
    private String model;
    private byte[] head;
    private boolean roleSent;
    private boolean finished;
    private Usage usage = Usage.NONE;

    private ChatChunkEncoder(String id, String model, long created, boolean includeUsage) {
        this.id = id;
        this.model = model;
        this.created = created;
        this.includeUsage = includeUsage;
    }

    /**
     * An encoder for one stream.
     *
     * @param fallbackId the id to use if the provider gives none
     * @param model the model to report if the provider names none
     * @param includeUsage whether the client asked for {@code stream_options.include_usage}
     */
    public static ChatChunkEncoder create(String fallbackId, String model, long createdEpochSeconds,
            boolean includeUsage) {
        return new ChatChunkEncoder(Objects.requireNonNull(fallbackId, "fallbackId"),
                Objects.requireNonNull(model, "model"), createdEpochSeconds, includeUsage);
    }

    /** The bytes for one event, or null when it shows the client nothing (lifecycle, usage, pings). */
    @Override
    public byte[] encode(StreamEvent event) {
        return switch (event) {
            case StreamEvent.Started started -> {
                if (head == null) {
                    id = started.id() == null || started.id().isEmpty() ? id : started.id();
                    model = started.model() == null || started.model().isEmpty() ? model : started.model();
                }
                yield null;
            }
            case StreamEvent.UsageReport report -> {
                usage = report.usage();
                yield null;
            }
            case StreamEvent.TextDelta d when d.text().isEmpty() -> null;
            case StreamEvent.TextDelta d -> delta(g -> g.writeStringProperty("content", d.text()));
            case StreamEvent.ReasoningDelta d when d.text().isEmpty() -> null;
            case StreamEvent.ReasoningDelta d -> delta(g -> g.writeStringProperty("reasoning_content", d.text()));
            case StreamEvent.ReasoningSignature s -> delta(g -> {
                g.writeName("thinking_blocks");
                g.writeStartArray();
                ChatCompletionEncoder.thinkingBlock(g, "", s.signature());
                g.writeEndArray();
            });
            case StreamEvent.RedactedReasoning r -> delta(g -> {
                g.writeName("thinking_blocks");
                g.writeStartArray();
                ChatCompletionEncoder.redactedBlock(g, r.data());
                g.writeEndArray();
            });
            case StreamEvent.ToolCallStart start -> {
                boolean first = !roleSent;
                yield delta(g -> {
                    if (first) {
                        g.writeNullProperty("content"); // as OpenAI opens an answer that is only tool calls
                    }
                    toolCall(g, start.index(), start.id(), start.name(), "");
                });
            }
            case StreamEvent.ToolCallArguments args when args.fragment().isEmpty() -> null;
            case StreamEvent.ToolCallArguments args -> delta(g -> toolCall(g, args.index(), null, null,
                    args.fragment()));
            case StreamEvent.Refusal refusal -> delta(g -> g.writeStringProperty("refusal", refusal.text()));
            case StreamEvent.Finish finish -> finish(finish.reason());
            case StreamEvent.Error _, StreamEvent.Ping _ -> null;
        };
    }

    /**
     * The end of a complete stream: a finish if none was sent, the usage chunk when the client
     * asked for it, and {@code [DONE]}.
     */
    @Override
    public byte[] end() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        if (!finished) {
            out.writeBytes(finish(FinishReason.STOP));
        }
        if (includeUsage) {
            out.writeBytes(DATA);
            try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
                g.writeStartObject();
                g.writeStringProperty("id", ChatCompletionEncoder.completionId(id));
                g.writeStringProperty("object", "chat.completion.chunk");
                g.writeNumberProperty("created", created);
                g.writeStringProperty("model", model);
                g.writeName("choices");
                g.writeStartArray();
                g.writeEndArray();
                g.writeName("usage");
                ChatUsage.write(g, usage);
                g.writeEndObject();
            }
            out.write('\n');
            out.write('\n');
        }
        out.writeBytes(DONE);
        return out.toByteArray();
    }

    /** The usage reported so far. */
    @Override
    public Usage usage() {
        return usage;
    }

    private byte[] finish(FinishReason reason) {
        if (finished) {
            return null;
        }
        finished = true;
        return chunk(g -> {
            if (!roleSent) {
                roleSent = true;
                g.writeStringProperty("role", "assistant");
                g.writeStringProperty("content", "");
            }
        }, "\"" + FinishReasons.wire(reason) + "\"");
    }

    private interface Fields {
        void write(JsonGenerator g);
    }

    /** A chunk whose delta opens with the role when it is the first one. */
    private byte[] delta(Fields fields) {
        return chunk(g -> {
            if (!roleSent) {
                roleSent = true;
                g.writeStringProperty("role", "assistant");
            }
            fields.write(g);
        }, "null");
    }

    private byte[] chunk(Fields delta, String finishReason) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        out.writeBytes(DATA);
        out.writeBytes(head());
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            delta.write(g);
            g.writeEndObject();
        }
        out.writeBytes((",\"logprobs\":null,\"finish_reason\":" + finishReason + "}]}\n\n")
                .getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static void toolCall(JsonGenerator g, int index, String id, String name, String arguments) {
        g.writeName("tool_calls");
        g.writeStartArray();
        g.writeStartObject();
        g.writeNumberProperty("index", index);
        if (id != null) {
            g.writeStringProperty("id", id);
            g.writeStringProperty("type", "function");
        }
        g.writeName("function");
        g.writeStartObject();
        if (name != null) {
            g.writeStringProperty("name", name);
        }
        g.writeStringProperty("arguments", arguments);
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
    }

    /** {@code {"id":…,"object":"chat.completion.chunk","created":…,"model":…,"choices":[{"index":0,"delta":} */
    private byte[] head() {
        if (head == null) {
            String text = "{\"id\":" + quote(ChatCompletionEncoder.completionId(id))
                    + ",\"object\":\"chat.completion.chunk\",\"created\":" + created + ",\"model\":" + quote(model)
                    + ",\"choices\":[{\"index\":0,\"delta\":";
            head = text.getBytes(StandardCharsets.UTF_8);
        }
        return head;
    }

    private static String quote(String value) {
        return Json.MAPPER.writeValueAsString(value);
    }
}
