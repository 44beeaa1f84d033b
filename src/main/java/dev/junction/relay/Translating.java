package dev.junction.relay;

import dev.junction.core.TokenUsage;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.core.canonical.Usage;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.http.SseEvent;
import dev.junction.protocol.ClientStream;
import dev.junction.protocol.MalformedAnswerException;
import dev.junction.protocol.StreamDecoder;
import dev.junction.protocol.TextTally;
import dev.junction.relay.StreamLoop.Flow;
import dev.junction.relay.StreamLoop.Next;
import dev.junction.relay.StreamLoop.Output;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The translated path's stream handler: provider events decoded to canonical ones and encoded in the
 * client's API, with what continuation needs on the way.
 *
 * <ul>
 * <li>The text delivered so far is kept (up to {@link Continuation#MAX_TEXT}), so that another
 *     channel can {@linkplain #resume continue} the answer with the same client encoder.
 * <li>A tool call reaches the client only whole: its start and argument deltas are held until the
 *     next event that is not about it (another call, text, the finish, the end of the stream). A
 *     stream cut inside a call therefore never shows the client a call that looks complete but is
 *     not; the call is simply not shown, and the continuation makes it again.
 * <li>A continuation's events go to the encoder that already wrote the first part: its start is
 *     dropped (the client has it), so is its reasoning (the client's answer keeps the first part's,
 *     whole and signed, before its text), its text is {@linkplain Overlap trimmed} of what it
 *     repeats, and its usage reports add the first part's.
 * </ul>
 */
final class Translating implements StreamLoop.Handler, StreamLoop.Continuable {

    /** What a committed client gets for a provider's ping event. */
    private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);

    private final StreamDecoder decoder;
    private final ClientStream encoder;
    /** The delivered text; null once over the limit (no continuation then). */
    private StringBuilder text;
    /** Whether a tool call reached the client: such an answer is not continued. */
    private boolean toolCallShown;
    /** A tool call being received, not yet shown. */
    private List<StreamEvent> heldCall;
    private int heldIndex = -1;
    /** The tokens of the parts before this one. */
    private final Usage before;
    private final Overlap overlap;
    /** The tokens of what the client was sent, for an estimate when the provider reports no usage. */
    private final TextTally delivered;

    private Translating(StreamDecoder decoder, ClientStream encoder, StringBuilder text, Usage before,
            Overlap overlap, TextTally delivered) {
        this.delivered = delivered;
        this.decoder = decoder;
        this.encoder = encoder;
        this.text = text;
        this.before = before;
        this.overlap = overlap;
    }

    static Translating start(StreamDecoder decoder, ClientStream encoder) {
        return new Translating(decoder, encoder, new StringBuilder(), Usage.NONE, null, new TextTally());
    }

    /**
     * A passed-through answer that broke, read back into {@code encoder} (its state the client's):
     * the continuation's events are written by that encoder, as for a translated answer.
     */
    static StreamLoop.Continuable continuing(ClientStream encoder, String text) {
        return new Translating(null, encoder, new StringBuilder(text), encoder.usage(), null, new TextTally());
    }

    @Override
    public Next onEvent(SseEvent event, Output out) throws ClientGoneException {
        List<StreamEvent> events;
        try {
            events = decoder.decode(event);
        } catch (MalformedAnswerException e) {
            return StreamBreak.malformed(": " + e.getMessage());
        }
        for (int i = 0, n = events.size(); i < n; i++) {
            StreamEvent canonical = events.get(i);
            switch (canonical) {
                case StreamEvent.Error error -> {
                    return StreamBreak.errorEvent(" (" + error.type() + ": " + error.message() + ")");
                }
                case StreamEvent.Ping _ -> out.keepAlive(PING);
                case StreamEvent.Started _ when overlap != null -> {
                }
                // A continuation's reasoning is not shown: it would split the text the client is
                // reading into two blocks with thinking between them, and on Anthropic's API a turn
                // sent back must keep the first part's signed thinking first and unchanged.
                case StreamEvent.ReasoningDelta _ when overlap != null -> {
                }
                case StreamEvent.ReasoningSignature _ when overlap != null -> {
                }
                case StreamEvent.RedactedReasoning _ when overlap != null -> {
                }
                case StreamEvent.ToolCallStart start -> {
                    release(out);
                    heldCall = new ArrayList<>(8);
                    heldIndex = start.index();
                    heldCall.add(start);
                }
                case StreamEvent.ToolCallArguments arguments when heldCall != null
                        && arguments.index() == heldIndex -> heldCall.add(arguments);
                case StreamEvent.TextDelta delta -> {
                    releaseCall(out);
                    String shown = overlap == null ? delta.text() : overlap.offer(delta.text());
                    if (!shown.isEmpty()) {
                        remember(shown);
                        write(new StreamEvent.TextDelta(shown), out);
                    }
                }
                case StreamEvent.UsageReport report when overlap != null ->
                    write(new StreamEvent.UsageReport(plus(before, report.usage())), out);
                default -> {
                    release(out);
                    write(canonical, out);
                }
            }
        }
        return Flow.MORE;
    }

    /** Shows any text the overlap check still holds and a held tool call (now complete). */
    private void release(Output out) throws ClientGoneException {
        if (overlap != null && overlap.holding()) {
            String shown = overlap.flush();
            if (!shown.isEmpty()) {
                remember(shown);
                write(new StreamEvent.TextDelta(shown), out);
            }
        }
        releaseCall(out);
    }

    private void releaseCall(Output out) throws ClientGoneException {
        if (heldCall != null) {
            List<StreamEvent> call = heldCall;
            heldCall = null;
            heldIndex = -1;
            toolCallShown = true;
            for (StreamEvent part : call) {
                write(part, out);
            }
        }
    }

    private void remember(String shown) {
        if (text != null) {
            if (text.length() + shown.length() > Continuation.MAX_TEXT) {
                text = null;
            } else {
                text.append(shown);
            }
        }
    }

    private void write(StreamEvent event, Output out) throws ClientGoneException {
        // The client encoders hold lifecycle (their own start events) and write it with the first
        // content, so whatever bytes they give are content.
        byte[] bytes = encoder.encode(event);
        if (bytes != null) {
            out.content(bytes);
        }
        switch (event) {
            case StreamEvent.TextDelta delta -> delivered.add(delta.text());
            case StreamEvent.ReasoningDelta delta -> delivered.add(delta.text());
            case StreamEvent.ToolCallStart start -> delivered.add(start.name());
            case StreamEvent.ToolCallArguments arguments -> delivered.add(arguments.fragment());
            case StreamEvent.Refusal refusal -> delivered.add(refusal.text());
            default -> {
            }
        }
    }

    @Override
    public TextTally delivered() {
        return delivered;
    }

    @Override
    public boolean complete() {
        return decoder.complete();
    }

    @Override
    public byte[] end() {
        // A stream that ends cleanly right after a tool call: the call is complete, show it first.
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            release(new Output() {
                @Override
                public void lifecycle(byte[] bytes) {
                    all.writeBytes(bytes);
                }

                @Override
                public void content(byte[] bytes) {
                    all.writeBytes(bytes);
                }

                @Override
                public void keepAlive(byte[] bytes) {
                }
            });
        } catch (ClientGoneException e) {
            throw new IllegalStateException(e);
        }
        all.writeBytes(encoder.end());
        return all.toByteArray();
    }

    @Override
    public TokenUsage usage() {
        Usage usage = encoder.usage();
        return (overlap != null && usage.equals(before) ? before : usage).tokens();
    }

    @Override
    public StreamLoop.Continuable continuable() {
        return text != null && !text.isEmpty() && !toolCallShown ? this : null;
    }

    @Override
    public String text() {
        return text.toString();
    }

    @Override
    public StreamLoop.Handler resume(StreamDecoder next) {
        return new Translating(next, encoder, text, encoder.usage(), new Overlap(text), delivered);
    }

    private static Usage plus(Usage a, Usage b) {
        return new Usage(a.input() + b.input(), a.output() + b.output(), a.cacheRead() + b.cacheRead(),
                a.cacheWrite() + b.cacheWrite(), a.reasoning() + b.reasoning());
    }
}
