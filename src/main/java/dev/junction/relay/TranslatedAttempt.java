package dev.junction.relay;

import dev.junction.config.ChannelConfig;
import dev.junction.core.TokenUsage;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.core.canonical.StreamEvent;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.http.SseEvent;
import dev.junction.protocol.ChannelCodec;
import dev.junction.protocol.TranslatableRequest;
import dev.junction.protocol.ClientStream;
import dev.junction.protocol.MalformedAnswerException;
import dev.junction.protocol.ProviderCall;
import dev.junction.protocol.ProviderExchange;
import dev.junction.protocol.StreamDecoder;
import dev.junction.relay.StreamLoop.Flow;
import dev.junction.relay.StreamLoop.Next;
import dev.junction.relay.StreamLoop.Output;
import dev.junction.routing.Pick;
import dev.junction.routing.ProviderKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One try of a channel whose wire format is not the client's: the client's request is decoded into
 * the canonical model, encoded by the channel type's {@link ChannelCodec}, and the provider's
 * answer or event stream comes back through canonical form into the client's shape. The steps it
 * shares with the pass-through path (failover table, reports to routing, commit point, in-band
 * error) are {@link Relay}'s and {@link StreamLoop}'s.
 */
final class TranslatedAttempt implements AttemptPath.Streaming {

    /** What a committed client gets for a provider's ping event. */
    private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final char[] SEED_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private final TranslatableRequest client;
    private final Pick pick;
    private final long nowSeconds;
    /** Makes the ids this answer generates (response, tool calls) unique. */
    private final String seed = seed();
    private ProviderExchange exchange;
    /** The answer this attempt continues, or null for a fresh answer. */
    private final StreamLoop.Continuable continuing;
    private final boolean prefill;

    TranslatedAttempt(TranslatableRequest request, Pick pick, long nowSeconds) {
        this(request, pick, nowSeconds, null, false);
    }

    private TranslatedAttempt(TranslatableRequest request, Pick pick, long nowSeconds, StreamLoop.Continuable continuing,
            boolean prefill) {
        this.client = request;
        this.pick = pick;
        this.nowSeconds = nowSeconds;
        this.continuing = continuing;
        this.prefill = prefill;
    }

    /**
     * An attempt that continues a stream another channel broke: the client's request plus the
     * answer so far ({@link Continuation#request}), its events written by the same client encoder.
     */
    static TranslatedAttempt continuing(TranslatableRequest request, Pick pick, long nowSeconds,
            StreamLoop.Continuable answer, boolean prefill) {
        return new TranslatedAttempt(request, pick, nowSeconds, answer, prefill);
    }

    @Override
    public ProviderCall prepare() {
        ChannelConfig channel = pick.channel().config();
        CanonicalRequest canonical = client.canonical(channel.quirks());
        if (continuing != null) {
            canonical = Continuation.request(canonical, continuing.text(), prefill);
        }
        exchange = Codecs.of(channel.type()).prepare(canonical, pick.candidate().upstreamModel(),
                pick.key().key().map(ProviderKey::secret).orElse(null), seed, channel.quirks());
        return exchange.call();
    }

    @Override
    public boolean verbatimErrors() {
        return false;
    }

    @Override
    public Whole whole(int status, byte[] body) {
        CanonicalResponse answer;
        try {
            answer = exchange.decode(body);
        } catch (MalformedAnswerException e) {
            return new Unusable("HTTP " + status + " with an answer that could not be read: " + e.getMessage(),
                    Failure.INVALID_RESPONSE);
        }
        return new Answer(200, client.encode(answer, nowSeconds), answer.usage().tokens());
    }

    @Override
    public StreamLoop.Handler stream() {
        if (continuing != null) {
            return continuing.resume(exchange.streamDecoder());
        }
        return Translating.start(exchange.streamDecoder(),
                client.streamEncoder(seed, pick.candidate().upstreamModel(), nowSeconds));
    }

    /** A short random string, so generated ids differ between answers. */
    private static String seed() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] seed = new char[10];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = SEED_ALPHABET[random.nextInt(SEED_ALPHABET.length)];
        }
        return new String(seed);
    }
}
