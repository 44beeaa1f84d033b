package dev.junction.protocol.openai;

import dev.junction.protocol.ClientStream;
import dev.junction.core.canonical.FinishReason;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.core.canonical.Usage;
import dev.junction.protocol.JsonOut;
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
 * <p>Chunks are written straight to bytes; the constant head of every chunk (id, object, created,
 * model) is rendered once.
 */
public final class ChatChunkEncoder implements ClientStream {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMA = JsonOut.ascii(",");
    private static final byte[] OPEN_DELTA = JsonOut.ascii("{");
    private static final byte[] ROLE = JsonOut.ascii("\"role\":\"assistant\"");
    private static final byte[] CONTENT = JsonOut.ascii("\"content\":");
    private static final byte[] NULL = JsonOut.ascii("null");
    private static final byte[] REASONING = JsonOut.ascii("\"reasoning_content\":");
    private static final byte[] REFUSAL = JsonOut.ascii("\"refusal\":");
    private static final byte[] THINKING_BLOCKS = JsonOut.ascii("\"thinking_blocks\":[");
    private static final byte[] TOOL_CALLS = JsonOut.ascii("\"tool_calls\":[{\"index\":");
    private static final byte[] TOOL_ID = JsonOut.ascii(",\"id\":");
    private static final byte[] TOOL_TYPE = JsonOut.ascii(",\"type\":\"function\"");
    private static final byte[] FUNCTION = JsonOut.ascii(",\"function\":{");
    private static final byte[] NAME = JsonOut.ascii("\"name\":");
    private static final byte[] ARGUMENTS = JsonOut.ascii("\"arguments\":");
    private static final byte[] END_TOOL_CALLS = JsonOut.ascii("}}]");
    private static final byte[] END_ARRAY = JsonOut.ascii("]");
    private static final byte[] TAIL = JsonOut.ascii("},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    private static final byte[] FINISH_TAIL = JsonOut.ascii("},\"logprobs\":null,\"finish_reason\":");
    private static final byte[] END_CHUNK = JsonOut.ascii("}]}\n\n");

    private final long created;
    private final boolean includeUsage;
    private final JsonOut out = new JsonOut();
    private String id;
    private String model;
    private byte[] head;
    private boolean roleSent;
    private boolean finished;
    /** Whether the delta being written has no field yet. */
    private boolean emptyDelta;
    private Usage usage = Usage.NONE;
    /** Whether the provider's id is used as it is (continuing a passed-through stream). */
    private boolean verbatimId;

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

    /** Uses the provider's chunk id as it is, without the {@code chatcmpl-} prefix it may lack. */
    ChatChunkEncoder verbatimId() {
        verbatimId = true;
        return this;
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
            case StreamEvent.TextDelta d -> delta(() -> field(CONTENT).string(d.text()));
            case StreamEvent.ReasoningDelta d when d.text().isEmpty() -> null;
            case StreamEvent.ReasoningDelta d -> delta(() -> field(REASONING).string(d.text()));
            case StreamEvent.ReasoningSignature s -> delta(() -> field(THINKING_BLOCKS)
                    .raw(Json.write(g -> ChatCompletionEncoder.thinkingBlock(g, "", s.signature()))).raw(END_ARRAY));
            case StreamEvent.RedactedReasoning r -> delta(() -> field(THINKING_BLOCKS)
                    .raw(Json.write(g -> ChatCompletionEncoder.redactedBlock(g, r.data()))).raw(END_ARRAY));
            case StreamEvent.ToolCallStart start -> {
                boolean first = !roleSent;
                yield delta(() -> {
                    if (first) {
                        field(CONTENT).raw(NULL); // as OpenAI opens an answer that is only tool calls
                    }
                    toolCall(start.index(), start.id(), start.name(), "");
                });
            }
            case StreamEvent.ToolCallArguments args when args.fragment().isEmpty() -> null;
            case StreamEvent.ToolCallArguments args -> delta(() -> toolCall(args.index(), null, null, args.fragment()));
            case StreamEvent.Refusal refusal -> delta(() -> field(REFUSAL).string(refusal.text()));
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
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        if (!finished) {
            bytes.writeBytes(finish(FinishReason.STOP));
        }
        if (includeUsage) {
            bytes.writeBytes(DATA);
            try (JsonGenerator g = Json.MAPPER.createGenerator(bytes)) {
                g.writeStartObject();
                g.writeStringProperty("id", chunkId());
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
            bytes.write('\n');
            bytes.write('\n');
        }
        bytes.writeBytes(DONE);
        return bytes.toByteArray();
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
        open();
        if (!roleSent) {
            roleSent = true;
            field(ROLE);
            field(CONTENT).string("");
        }
        return out.raw(FINISH_TAIL).string(FinishReasons.wire(reason)).raw(END_CHUNK).toByteArray();
    }

    /** Writes the fields of one delta with {@link #field(byte[])}. */
    @FunctionalInterface
    private interface Fields {
        void write();
    }

    /** A chunk whose delta opens with the role when it is the first one. */
    private byte[] delta(Fields fields) {
        open();
        if (!roleSent) {
            roleSent = true;
            field(ROLE);
        }
        fields.write();
        return out.raw(TAIL).toByteArray();
    }

    /** Starts a chunk, up to its empty delta object. */
    private void open() {
        out.reset().raw(DATA).raw(head()).raw(OPEN_DELTA);
        emptyDelta = true;
    }

    /** The next delta field, from its name on. */
    private JsonOut field(byte[] name) {
        if (!emptyDelta) {
            out.raw(COMMA);
        }
        emptyDelta = false;
        return out.raw(name);
    }

    private void toolCall(int index, String id, String name, String arguments) {
        field(TOOL_CALLS).number(index);
        if (id != null) {
            out.raw(TOOL_ID).string(id).raw(TOOL_TYPE);
        }
        out.raw(FUNCTION);
        if (name != null) {
            out.raw(NAME).string(name).raw(COMMA);
        }
        out.raw(ARGUMENTS).string(arguments).raw(END_TOOL_CALLS);
    }

    private String chunkId() {
        return verbatimId ? id : ChatCompletionEncoder.completionId(id);
    }

    /** {@code {"id":…,"object":"chat.completion.chunk","created":…,"model":…,"choices":[{"index":0,"delta":} */
    private byte[] head() {
        if (head == null) {
            head = new JsonOut().raw(JsonOut.ascii("{\"id\":")).string(chunkId())
                    .raw(JsonOut.ascii(",\"object\":\"chat.completion.chunk\",\"created\":")).number(created)
                    .raw(JsonOut.ascii(",\"model\":")).string(model)
                    .raw(JsonOut.ascii(",\"choices\":[{\"index\":0,\"delta\":")).toByteArray();
        }
        return head;
    }
}
