package dev.junction.routing;

import dev.junction.config.RoutingConfig.Strategy;
import dev.junction.core.Clock;
import dev.junction.core.Needs;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The channels one request may still try, picked one at a time by the model's strategy. Built on a
 * {@link Pool}: candidates whose model cannot serve the request's {@link Needs} are dropped once,
 * with bit operations on the pool's precomputed arrays; each {@link #next()} then scans the rest for
 * the best by strategy, inside the highest priority tier left, and checks only that one's state
 * (health, key rests, circuit, limits). A channel or key that failed in this request is never
 * offered again for it; a channel at one of its limits is skipped and never tried. Resting
 * (rate-limited), open-circuit and unhealthy channels are passed over; when nothing else is left,
 * the one that frees soonest is offered anyway rather than failing the request without a try — but
 * never one at a limit. Not thread-safe: one per request.
 */
public final class Selection {

    /** Share of {@code fastest} picks that go to a random channel, so slow ones are re-measured. */
    static final double EXPLORATION = 0.05;

    private final Pool pool;
    private final Needs needs;
    private final Clock clock;
    private final RandomGenerator random;
    private final Affinity affinity;
    private final String session;
    private final long[] eligible;
    private final long[] failed;
    private final long[] limited;
    private final long[] skipped;
    private final int eligibleCount;
    private Set<KeyState> failedKeys;
    private int preferred = -1;
    private String preferredKey;
    private Instant limitedUntil;
    private String limitName;
    /** The public models to try after this one, in order. */
    private List<String> fallbacks;
    /** The model the client asked for, when complexity routing chose this one for it; null otherwise. */
    private String routedFrom;
    private ComplexityRules.Verdict verdict;
    /** {@code cheapest}'s estimate per candidate for a media request, made at its first pick; null until then. */
    private double[] unitCosts;

    Selection(Pool pool, Needs needs, Clock clock, RandomGenerator random, Affinity affinity) {
        this.pool = pool;
        this.needs = needs;
        this.clock = clock;
        this.random = random;
        this.fallbacks = pool.routing.fallbacks();
        int words = (pool.size + 63) >>> 6;
        this.eligible = new long[words];
        this.failed = new long[words];
        this.limited = new long[words];
        this.skipped = new long[words];
        int count = 0;
        if (pool.unrestricted) {
            for (int i = 0; i < pool.size; i++) {
                eligible[i >>> 6] |= 1L << i;
            }
            count = pool.size;
        } else {
            int need = needs.mask() & ModelTraits.FILTERED;
            count = filter(need);
            if (count == 0 && (need & Needs.JSON_SCHEMA) != 0) {
                // A JSON schema is a soft need: the gateway can still ask for JSON (and the Anthropic
                // translation forces it through a tool), so with no native-schema channel left the
                // others serve rather than a 400.
                count = filter(need & ~Needs.JSON_SCHEMA);
            }
        }
        this.eligibleCount = count;
        String id = needs.session();
        if (affinity != null && id != null && pool.routing.affinity()) {
            this.affinity = affinity;
            this.session = id;
            Affinity.Sticky sticky = affinity.get(pool.model, id);
            if (sticky != null) {
                int at = pool.indexOf(sticky.channel());
                if (at >= 0 && has(eligible, at)) {
                    preferred = at;
                    preferredKey = sticky.key();
                }
            }
        } else {
            this.affinity = null;
            this.session = null;
        }
    }

    /** Marks the candidates that serve {@code need} and fit the request's size; returns how many. */
    private int filter(int need) {
        long prompt = needs.promptTokens();
        long output = needs.maxOutput();
        int[] caps = pool.caps;
        long[] context = pool.context;
        long[] maxOutput = pool.maxOutput;
        int count = 0;
        for (int i = 0; i < pool.size; i++) {
            if ((need & ~caps[i]) == 0 && output <= maxOutput[i] && prompt <= context[i] - output) {
                eligible[i >>> 6] |= 1L << i;
                count++;
            }
        }
        return count;
    }

    /** Marks this selection as complexity routing's choice for {@code from}, with the chain after it. */
    void routed(String from, ComplexityRules.Verdict why, List<String> chain) {
        this.routedFrom = from;
        this.verdict = why;
        this.fallbacks = List.copyOf(chain);
    }

    /** The public models tried, in order, when this one has no channel left: its {@code fallbacks:}. */
    public List<String> fallbacks() {
        return fallbacks;
    }

    /**
     * When complexity routing chose this model: the model the client asked for and the classifier's
     * verdict; empty otherwise.
     */
    public Optional<ComplexityRules.Verdict> verdict() {
        return Optional.ofNullable(verdict);
    }

    /** The public model the client asked for when complexity routing chose this one; null otherwise. */
    public String routedFrom() {
        return routedFrom;
    }

    /** Whether any channel serves the model at all. */
    public boolean isEmpty() {
        return pool.size == 0;
    }

    /** The public model this selection routes. */
    public String model() {
        return pool.model;
    }

    /** Whether channels serve the model but none can serve this request (tools, images, context...). */
    public boolean unservable() {
        return pool.size > 0 && eligibleCount == 0;
    }

    /**
     * What this request needs that the model's channels lack, one clause per channel, e.g.
     * {@code a: tools; b: context_window 128000 < 200000 prompt + 0 output}.
     */
    public String missing() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < pool.size; i++) {
            if (has(eligible, i)) {
                continue;
            }
            text.append(text.isEmpty() ? "" : "; ").append(pool.channels[i].name()).append(" (")
                    .append(pool.candidates[i].upstreamModel()).append("): ").append(why(pool.traits[i], needs));
        }
        return text.toString();
    }

    /** Why a model with {@code traits} cannot serve {@code needs}; empty when it can. */
    static String why(ModelTraits traits, Needs needs) {
        StringBuilder text = new StringBuilder();
        int missing = traits.missing(needs);
        if (missing != 0) {
            text.append("no ").append(Needs.describe(missing));
        }
        if (needs.maxOutput() > traits.maxOutput()) {
            text.append(text.isEmpty() ? "" : ", ").append("max_output ").append(traits.maxOutput())
                    .append(" < ").append(needs.maxOutput()).append(" asked");
        } else if (needs.promptTokens() > traits.contextWindow() - needs.maxOutput()) {
            text.append(text.isEmpty() ? "" : ", ").append("context_window ").append(traits.contextWindow())
                    .append(" < ~").append(needs.promptTokens()).append(" prompt + ").append(needs.maxOutput())
                    .append(" output tokens");
        }
        return text.toString();
    }

    /** Whether every channel left was skipped for being at one of its limits. */
    public boolean limited() {
        return limitedUntil != null;
    }

    /** When the first limited channel frees (for Retry-After); empty when none was limited. */
    public Optional<Instant> limitedUntil() {
        return Optional.ofNullable(limitedUntil);
    }

    /** The limit hit on the channel that frees first ({@code rpm}, {@code tokens_per_day}, ...). */
    public String limitName() {
        return limitName == null ? "" : limitName;
    }

    /** The next channel and key to try, or empty when none is left. */
    public Optional<Pick> next() {
        Instant now = clock.now();
        if (preferred >= 0) {
            int at = preferred;
            preferred = -1;
            Pick pick = available(at) ? tryPick(at, now, preferredKey) : null;
            if (pick != null) {
                return Optional.of(pick);
            }
        }
        java.util.Arrays.fill(skipped, 0);
        for (int i = best(); i >= 0; i = best()) {
            Pick pick = tryPick(i, now, null);
            if (pick != null) {
                return Optional.of(pick);
            }
            skipped[i >>> 6] |= 1L << i;
        }
        return forced(now);
    }

    private boolean available(int i) {
        return has(eligible, i) && !has(failed, i) && !has(limited, i);
    }

    private Pick tryPick(int i, Instant now, String keyId) {
        Channel channel = pool.channels[i];
        if (!channel.healthy()) {
            return null;
        }
        Candidate candidate = pool.candidates[i];
        String upstream = candidate.upstreamModel();
        KeyState key = null;
        if (keyId != null) {
            for (KeyState k : channel.keys()) {
                if (k.id().equals(keyId) && (failedKeys == null || !failedKeys.contains(k)) && k.usable(upstream, now)) {
                    key = k;
                }
            }
        }
        if (key == null) {
            key = channel.usableKey(failedKeys == null ? Set.of() : failedKeys, upstream, now);
        }
        if (key == null) {
            return null;
        }
        Reservation reservation = reserve(i, now);
        if (reservation == null) {
            return null;
        }
        if (!channel.tryAcquire(upstream, now)) {
            reservation.cancel();
            return null;
        }
        return new Pick(candidate, key, false, reservation);
    }

    /** Takes the request from the candidate's limits; null (and the channel marked limited) at a limit. */
    private Reservation reserve(int i, Instant now) {
        ChannelQuota quota = pool.quotas[i];
        ModelTraits traits = pool.traits[i];
        if (quota == null) {
            ChannelLoad load = pool.loads[i];
            load.inFlight.incrementAndGet();
            return new Reservation(null, load, 0, 0, null, traits);
        }
        long tokens = Math.max(1, needs.promptTokens());
        ChannelQuota.Check check = quota.tryReserve(tokens, traits.reserveCost(needs, tokens), traits, now);
        if (check.reservation() != null) {
            return check.reservation();
        }
        limited[i >>> 6] |= 1L << i;
        if (limitedUntil == null || check.freeAt().isBefore(limitedUntil)) {
            limitedUntil = check.freeAt();
            limitName = check.limit();
        }
        return null;
    }

    /** Everything is resting: the candidate that frees soonest (healthy ones first), never one at a limit. */
    private Optional<Pick> forced(Instant now) {
        int best = -1;
        KeyState bestKey = null;
        Instant bestAt = Instant.MAX;
        for (int i = 0; i < pool.size; i++) {
            if (!available(i)) {
                continue;
            }
            Channel channel = pool.channels[i];
            String upstream = pool.candidates[i].upstreamModel();
            KeyState key = channel.soonestKey(failedKeys == null ? Set.of() : failedKeys, upstream);
            if (key == null) {
                continue;
            }
            Instant cool = key.coolUntil(upstream);
            Instant open = channel.availableAt(upstream, now);
            Instant at = cool.isAfter(open) ? cool : open;
            if (!channel.healthy()) {
                at = Instant.MAX.minusSeconds(1);
            }
            if (best < 0 || at.isBefore(bestAt)) {
                best = i;
                bestKey = key;
                bestAt = at;
            }
        }
        if (best < 0) {
            return Optional.empty();
        }
        Reservation reservation = reserve(best, now);
        if (reservation == null) {
            return forced(now);
        }
        Candidate candidate = pool.candidates[best];
        candidate.channel().force(candidate.upstreamModel(), now);
        return Optional.of(new Pick(candidate, bestKey, true, reservation));
    }

    /** The best candidate left by the model's strategy, inside the highest priority tier left; -1 when none. */
    private int best() {
        int n = pool.size;
        int top = Integer.MIN_VALUE;
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (open(i)) {
                int p = pool.priority[i];
                if (p > top) {
                    top = p;
                    count = 1;
                } else if (p == top) {
                    count++;
                }
            }
        }
        if (count == 0) {
            return -1;
        }
        if (count == 1) {
            for (int i = 0; i < n; i++) {
                if (open(i) && pool.priority[i] == top) {
                    return i;
                }
            }
        }
        Strategy strategy = pool.routing.strategy();
        return switch (strategy) {
            case WEIGHTED -> weighted(top);
            case PRIORITY -> heaviest(top);
            case CHEAPEST -> cheapest(top);
            case FASTEST -> fastest(top, count);
            case LEAST_BUSY -> leastBusy(top);
            case QUOTA_BALANCED -> quotaBalanced(top);
        };
    }

    private boolean open(int i) {
        int w = i >>> 6;
        long bit = 1L << i;
        return (eligible[w] & bit) != 0 && ((failed[w] | limited[w] | skipped[w]) & bit) == 0;
    }

    /** Each candidate of the tier with probability weight / (sum of the tier's weights). */
    private int weighted(int tier) {
        long total = 0;
        for (int i = 0; i < pool.size; i++) {
            if (open(i) && pool.priority[i] == tier) {
                total += pool.weight[i];
            }
        }
        long r = (long) (random.nextDouble() * total);
        int last = -1;
        for (int i = 0; i < pool.size; i++) {
            if (open(i) && pool.priority[i] == tier) {
                last = i;
                r -= pool.weight[i];
                if (r < 0) {
                    return i;
                }
            }
        }
        return last;
    }

    /** Strict order: the heaviest, then the first declared. */
    private int heaviest(int tier) {
        int best = -1;
        for (int i = 0; i < pool.size; i++) {
            if (open(i) && pool.priority[i] == tier && (best < 0 || pool.weight[i] > pool.weight[best])) {
                best = i;
            }
        }
        return best;
    }

    /**
     * The lowest estimated cost for this request ({@link ModelTraits#quote}: a media request by the
     * unit price that applies to it, any other by the token rates); unknown prices last; ties by weight.
     */
    private int cheapest(int tier) {
        if (needs.billedByUnits()) {
            return cheapestByUnits(tier);
        }
        int best = -1;
        double bestCost = 0;
        long prompt = Math.max(1, needs.promptTokens());
        long output = needs.units() != null ? 0 : needs.maxOutput() > 0 ? needs.maxOutput() : ModelTraits.ASSUMED_OUTPUT;
        for (int i = 0; i < pool.size; i++) {
            if (!open(i) || pool.priority[i] != tier) {
                continue;
            }
            double cost = pool.inputPrice[i] < 0 || pool.outputPrice[i] < 0 ? Double.MAX_VALUE
                    : (double) pool.inputPrice[i] * prompt + (double) pool.outputPrice[i] * output;
            if (best < 0 || cost < bestCost || cost == bestCost && pool.weight[i] > pool.weight[best]) {
                best = i;
                bestCost = cost;
            }
        }
        return best;
    }

    /** {@link #cheapest} for a media request: by each candidate's unit price, quoted once per request. */
    private int cheapestByUnits(int tier) {
        if (unitCosts == null) {
            unitCosts = new double[pool.size];
            for (int i = 0; i < pool.size; i++) {
                unitCosts[i] = has(eligible, i) ? pool.traits[i].quote(needs).micros() : Double.POSITIVE_INFINITY;
            }
        }
        int best = -1;
        for (int i = 0; i < pool.size; i++) {
            if (open(i) && pool.priority[i] == tier && (best < 0 || unitCosts[i] < unitCosts[best]
                    || unitCosts[i] == unitCosts[best] && pool.weight[i] > pool.weight[best])) {
                best = i;
            }
        }
        return best;
    }

    /** Power of two choices on expected answer time, with an exploration share picked at random. */
    private int fastest(int tier, int count) {
        int first = nth(tier, random.nextInt(count));
        if (random.nextDouble() < EXPLORATION) {
            return first;
        }
        int second = nth(tier, (indexInTier(tier, first) + 1 + random.nextInt(count - 1)) % count);
        return pool.loads[second].expectedMillis() < pool.loads[first].expectedMillis() ? second : first;
    }

    private int nth(int tier, int k) {
        for (int i = 0; i < pool.size; i++) {
            if (open(i) && pool.priority[i] == tier && k-- == 0) {
                return i;
            }
        }
        return -1;
    }

    private int indexInTier(int tier, int at) {
        int k = 0;
        for (int i = 0; i < at; i++) {
            if (open(i) && pool.priority[i] == tier) {
                k++;
            }
        }
        return k;
    }

    /** Fewest in flight relative to {@code concurrent} (the raw count when unlimited); ties at random. */
    private int leastBusy(int tier) {
        int best = -1;
        double bestLoad = 0;
        int ties = 0;
        for (int i = 0; i < pool.size; i++) {
            if (!open(i) || pool.priority[i] != tier) {
                continue;
            }
            long limit = pool.concurrent[i];
            double load = limit > 0 ? pool.loads[i].inFlight.get() / (double) limit : pool.loads[i].inFlight.get();
            if (best < 0 || load < bestLoad) {
                best = i;
                bestLoad = load;
                ties = 1;
            } else if (load == bestLoad && random.nextInt(++ties) == 0) {
                best = i;
            }
        }
        return best;
    }

    /** Largest remaining share of its quota; ties weighted at random. */
    private int quotaBalanced(int tier) {
        int best = -1;
        double bestShare = 0;
        long tieWeight = 0;
        for (int i = 0; i < pool.size; i++) {
            if (!open(i) || pool.priority[i] != tier) {
                continue;
            }
            double share = pool.loads[i].remainingShare();
            if (best < 0 || share > bestShare) {
                best = i;
                bestShare = share;
                tieWeight = pool.weight[i];
            } else if (share == bestShare) {
                tieWeight += pool.weight[i];
                if (random.nextDouble() * tieWeight < pool.weight[i]) {
                    best = i;
                }
            }
        }
        return best;
    }

    private static boolean has(long[] bits, int i) {
        return (bits[i >>> 6] & (1L << i)) != 0;
    }

    /**
     * The channel of {@code broken} once more, to continue the answer its stream broke off, when no
     * other candidate is left: another of its keys when one is usable, else the same key. Its
     * circuits and limits still decide: empty when they refuse, or when the channel is not one of
     * this selection's (a fallback model's selection).
     */
    public Optional<Pick> again(Pick broken) {
        int i = pool.indexOf(broken.channel());
        if (i < 0 || !has(eligible, i) || !pool.candidates[i].equals(broken.candidate())) {
            return Optional.empty();
        }
        Channel channel = pool.channels[i];
        Instant now = clock.now();
        String upstream = broken.candidate().upstreamModel();
        Set<KeyState> avoid = new HashSet<>(failedKeys == null ? Set.of() : failedKeys);
        avoid.add(broken.key());
        KeyState key = channel.usableKey(avoid, upstream, now);
        if (key == null && (failedKeys == null || !failedKeys.contains(broken.key()))
                && broken.key().usable(upstream, now)) {
            key = broken.key();
        }
        if (key == null) {
            return Optional.empty();
        }
        Reservation reservation = reserve(i, now);
        if (reservation == null) {
            return Optional.empty();
        }
        if (!channel.tryAcquire(upstream, now)) {
            reservation.cancel();
            return Optional.empty();
        }
        return Optional.of(new Pick(pool.candidates[i], key, false, reservation));
    }

    /** The channel failed for this request: offer it no more. */
    public void channelFailed(Channel channel) {
        int i = pool.indexOf(channel);
        if (i >= 0) {
            failed[i >>> 6] |= 1L << i;
        }
    }

    /** The key failed for this request: offer it no more (other keys of its channel stay). */
    public void keyFailed(KeyState key) {
        if (failedKeys == null) {
            failedKeys = new HashSet<>();
        }
        failedKeys.add(key);
    }

    /** {@code pick} served the request: with affinity on, the conversation sticks to its channel and key. */
    public void served(Pick pick) {
        if (affinity != null) {
            affinity.put(pool.model, session, new Affinity.Sticky(pick.channel().id(), pick.key().id(),
                    pool.routing.affinityTtl()));
        }
    }

    /** {@code pick} measured: time to first byte and output speed, for {@code fastest}. */
    public void measured(Pick pick, long firstByteMillis, long outputTokens, long generationMillis) {
        int i = pool.indexOf(pick.channel());
        if (i >= 0) {
            pool.loads[i].measured(firstByteMillis, outputTokens, generationMillis);
        }
    }
}
