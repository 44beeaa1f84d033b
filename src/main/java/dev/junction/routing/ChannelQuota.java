package dev.junction.routing;

import dev.junction.config.ChannelLimits;
import dev.junction.core.TokenUsage;
import dev.junction.state.Counters;
import dev.junction.state.StateKey;
import dev.junction.state.Tally;
import dev.junction.state.Window;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * A channel's {@code limits:} kept in the shared {@link Counters} (so a Redis implementation makes
 * them hold across instances): each check is an atomic {@code tryAdd}, a refused one gives back
 * what it already took, and the real token counts and cost replace the estimate when the attempt
 * ends.
 *
 * <p>Per-minute limits count in ten-second buckets and a request sees the current bucket plus the
 * six before it: a sliding window of 60 to 70 seconds, never more permissive than a provider's
 * 60-second one. Day windows are UTC days; month windows calendar months in UTC.
 */
final class ChannelQuota {

    static final long BUCKET_MILLIS = 10_000;
    static final int BUCKETS = 7;
    private static final Duration DAY = Duration.ofDays(1);

    private final ChannelLimits limits;
    private final StateKey subject;
    private final Counters counters;
    private final ChannelLoad load;
    /** The quota {@code quota_balanced} balances on: tokens per day, else USD per day, else per month. */
    private final String primary;

    ChannelQuota(ChannelLimits limits, StateKey subject, Counters counters, ChannelLoad load) {
        this.limits = limits;
        this.subject = subject;
        this.counters = counters;
        this.load = load;
        this.primary = limits.tokensPerDay() > 0 ? "tokens_day" : limits.usdPerDay() > 0 ? "usd_day"
                : limits.usdPerMonth() > 0 ? "usd_month" : "";
    }

    ChannelLimits limits() {
        return limits;
    }

    /** The windows one reservation counted in, so its settlement corrects the same ones. */
    record Windows(Window minute, Window day, Window month) {
    }

    /** The outcome of a check: a reservation, or the limit hit and when it frees. */
    record Check(Reservation reservation, String limit, Instant freeAt) {
    }

    /**
     * Takes one request, {@code tokens} estimated tokens and {@code micros} estimated cost from every
     * limit, or nothing at all when one of them would be passed.
     */
    Check tryReserve(long tokens, long micros, ModelTraits traits, Instant now) {
        long at = now.toEpochMilli();
        long bucket = Math.floorDiv(at, BUCKET_MILLIS) * BUCKET_MILLIS;
        Window minute = new Window(Instant.ofEpochMilli(bucket), Instant.ofEpochMilli(bucket + BUCKET_MILLIS * BUCKETS));
        Window day = limits.tokensPerDay() > 0 || limits.usdPerDay() > 0 ? Window.fixed(DAY, now) : null;
        Window month = limits.usdPerMonth() > 0 ? month(now) : null;
        if (limits.rpm() > 0) {
            long earlier = earlier("rpm", bucket);
            Tally tally = counters.tryAdd(subject, "rpm", minute, 1, limits.rpm() - earlier);
            if (!tally.admitted()) {
                return refused("rpm", slidingFree("rpm", bucket, limits.rpm(), 1));
            }
        }
        if (limits.tpm() > 0) {
            long earlier = earlier("tpm", bucket);
            Tally tally = counters.tryAdd(subject, "tpm", minute, tokens, limits.tpm() - earlier);
            if (!tally.admitted()) {
                undoMinute(minute, true, false, tokens);
                return refused("tpm", slidingFree("tpm", bucket, limits.tpm(), tokens));
            }
        }
        if (limits.concurrent() > 0) {
            Tally tally = counters.tryAdd(subject, "in_flight", Window.OPEN, 1, limits.concurrent());
            if (!tally.admitted()) {
                undoMinute(minute, true, true, tokens);
                return refused("concurrent", now.plusSeconds(1));
            }
        }
        if (limits.tokensPerDay() > 0) {
            Tally tally = counters.tryAdd(subject, "tokens_day", day, tokens, limits.tokensPerDay());
            share("tokens_day", tally.count() + (tally.admitted() ? 0 : tokens), limits.tokensPerDay());
            if (!tally.admitted()) {
                undo(minute, tokens, false, 0, false, 0);
                return refused("tokens_per_day", day.end());
            }
        }
        if (limits.usdPerDay() > 0) {
            Tally tally = counters.tryAdd(subject, "usd_day", day, micros, limits.usdPerDay());
            share("usd_day", tally.count() + (tally.admitted() ? 0 : micros), limits.usdPerDay());
            if (!tally.admitted()) {
                undo(minute, tokens, limits.tokensPerDay() > 0, tokens, false, 0);
                return refused("usd_per_day", day.end());
            }
        }
        if (limits.usdPerMonth() > 0) {
            Tally tally = counters.tryAdd(subject, "usd_month", month, micros, limits.usdPerMonth());
            share("usd_month", tally.count() + (tally.admitted() ? 0 : micros), limits.usdPerMonth());
            if (!tally.admitted()) {
                undo(minute, tokens, limits.tokensPerDay() > 0, tokens, limits.usdPerDay() > 0, micros);
                return refused("usd_per_month", month.end());
            }
        }
        load.inFlight.incrementAndGet();
        return new Check(new Reservation(this, load, tokens, micros, new Windows(minute, day, month), traits),
                null, null);
    }

    private Check refused(String limit, Instant freeAt) {
        return new Check(null, limit, freeAt);
    }

    /** Gives back what the checks before a refused one took. */
    private void undo(Window minute, long tokens, boolean dayTokens, long dayAmount, boolean dayUsd, long micros) {
        undoMinute(minute, true, true, tokens);
        if (limits.concurrent() > 0) {
            counters.add(subject, "in_flight", Window.OPEN, -1);
        }
        if (dayTokens) {
            counters.add(subject, "tokens_day", Window.fixed(DAY, minute.start()), -dayAmount);
        }
        if (dayUsd) {
            counters.add(subject, "usd_day", Window.fixed(DAY, minute.start()), -micros);
        }
    }

    private void undoMinute(Window minute, boolean rpm, boolean tpm, long tokens) {
        if (rpm && limits.rpm() > 0) {
            counters.add(subject, "rpm", minute, -1);
        }
        if (tpm && limits.tpm() > 0) {
            counters.add(subject, "tpm", minute, -tokens);
        }
    }

    /** The attempt ended: the slot in flight is given back, the estimate replaced by the real counts. */
    void settle(Reservation reservation, TokenUsage usage) {
        Windows windows = reservation.windows();
        if (limits.concurrent() > 0) {
            counters.add(subject, "in_flight", Window.OPEN, -1);
        }
        long used = usage.input() + usage.output();
        long tokenDelta = used - reservation.tokens();
        if (limits.tpm() > 0 && tokenDelta != 0) {
            counters.add(subject, "tpm", windows.minute(), tokenDelta);
        }
        if (limits.tokensPerDay() > 0 && tokenDelta != 0) {
            share("tokens_day", counters.add(subject, "tokens_day", windows.day(), tokenDelta), limits.tokensPerDay());
        }
        if (limits.usdPerDay() > 0 || limits.usdPerMonth() > 0) {
            long cost = reservation.cost(usage) - reservation.micros();
            if (cost != 0 && limits.usdPerDay() > 0) {
                share("usd_day", counters.add(subject, "usd_day", windows.day(), cost), limits.usdPerDay());
            }
            if (cost != 0 && limits.usdPerMonth() > 0) {
                share("usd_month", counters.add(subject, "usd_month", windows.month(), cost), limits.usdPerMonth());
            }
        }
    }

    /** Remembers the remaining share of the quota that {@code quota_balanced} balances on. */
    /** A reservation whose request was never sent: everything, the request included, is given back. */
    void cancel(Reservation reservation) {
        if (limits.rpm() > 0) {
            counters.add(subject, "rpm", reservation.windows().minute(), -1);
        }
        settle(reservation, TokenUsage.NONE);
    }

    private void share(String metric, long used, long limit) {
        if (metric.equals(primary)) {
            load.remainingShare(Math.max(0, limit - used) / (double) limit);
        }
    }

    /**
     * The six buckets before the current one no longer take requests, so their sum is read once per
     * bucket and metric (rpm, tpm) and kept; a late correction to a past bucket (a settled token
     * count) shows when the next bucket starts.
     */
    private record Earlier(long bucket, long sum) {
    }

    private volatile Earlier earlierRpm = new Earlier(Long.MIN_VALUE, 0);
    private volatile Earlier earlierTpm = new Earlier(Long.MIN_VALUE, 0);

    private long earlier(String metric, long bucket) {
        boolean rpm = metric.equals("rpm");
        Earlier known = rpm ? earlierRpm : earlierTpm;
        if (known.bucket() == bucket) {
            return known.sum();
        }
        long sum = sumEarlier(metric, bucket);
        if (rpm) {
            earlierRpm = new Earlier(bucket, sum);
        } else {
            earlierTpm = new Earlier(bucket, sum);
        }
        return sum;
    }

    /** Counts of the six buckets before {@code bucket}. */
    private long sumEarlier(String metric, long bucket) {
        long sum = 0;
        for (int k = 1; k < BUCKETS; k++) {
            sum += counters.count(subject, metric, bucketWindow(bucket - k * BUCKET_MILLIS));
        }
        return sum;
    }

    /** When enough old buckets have left the window for {@code amount} more to fit under {@code limit}. */
    private Instant slidingFree(String metric, long bucket, long limit, long amount) {
        long[] counts = new long[BUCKETS];
        long total = 0;
        for (int k = BUCKETS - 1; k >= 0; k--) {
            counts[k] = counters.count(subject, metric, bucketWindow(bucket - k * BUCKET_MILLIS));
            total += counts[k];
        }
        for (int k = BUCKETS - 1; k >= 0; k--) {
            total -= counts[k];
            if (total + amount <= limit) {
                return Instant.ofEpochMilli(bucket - k * BUCKET_MILLIS + BUCKETS * BUCKET_MILLIS);
            }
        }
        return Instant.ofEpochMilli(bucket + BUCKETS * BUCKET_MILLIS);
    }

    private static Window bucketWindow(long start) {
        return new Window(Instant.ofEpochMilli(start), Instant.ofEpochMilli(start + BUCKET_MILLIS * BUCKETS));
    }

    private static Window month(Instant now) {
        YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
        return new Window(month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** One limit's use now: {@code used} of {@code max} (USD limits in micro-dollars). */
    record Use(String limit, long used, long max) {
    }

    /** Each configured limit's use now, for the admin API; reads, takes nothing. */
    java.util.List<Use> use(Instant now) {
        long at = now.toEpochMilli();
        long bucket = Math.floorDiv(at, BUCKET_MILLIS) * BUCKET_MILLIS;
        java.util.List<Use> uses = new java.util.ArrayList<>();
        if (limits.rpm() > 0) {
            uses.add(new Use("rpm", earlier("rpm", bucket) + counters.count(subject, "rpm", bucketWindow(bucket)),
                    limits.rpm()));
        }
        if (limits.tpm() > 0) {
            uses.add(new Use("tpm", earlier("tpm", bucket) + counters.count(subject, "tpm", bucketWindow(bucket)),
                    limits.tpm()));
        }
        if (limits.concurrent() > 0) {
            uses.add(new Use("concurrent", counters.count(subject, "in_flight", Window.OPEN), limits.concurrent()));
        }
        Window day = Window.fixed(DAY, now);
        if (limits.tokensPerDay() > 0) {
            uses.add(new Use("tokens_per_day", counters.count(subject, "tokens_day", day), limits.tokensPerDay()));
        }
        if (limits.usdPerDay() > 0) {
            uses.add(new Use("usd_per_day", counters.count(subject, "usd_day", day), limits.usdPerDay()));
        }
        if (limits.usdPerMonth() > 0) {
            uses.add(new Use("usd_per_month", counters.count(subject, "usd_month", month(now)), limits.usdPerMonth()));
        }
        return uses;
    }

    /**
     * Which limit the channel is at now and when it frees, without taking anything (for the explain
     * view); null when none is.
     */
    Check peek(long tokens, long micros, Instant now) {
        long at = now.toEpochMilli();
        long bucket = Math.floorDiv(at, BUCKET_MILLIS) * BUCKET_MILLIS;
        if (limits.rpm() > 0 && earlier("rpm", bucket) + counters.count(subject, "rpm", bucketWindow(bucket)) + 1
                > limits.rpm()) {
            return refused("rpm", slidingFree("rpm", bucket, limits.rpm(), 1));
        }
        if (limits.tpm() > 0 && earlier("tpm", bucket) + counters.count(subject, "tpm", bucketWindow(bucket))
                + tokens > limits.tpm()) {
            return refused("tpm", slidingFree("tpm", bucket, limits.tpm(), tokens));
        }
        if (limits.concurrent() > 0 && counters.count(subject, "in_flight", Window.OPEN) >= limits.concurrent()) {
            return refused("concurrent", now.plusSeconds(1));
        }
        Window day = Window.fixed(DAY, now);
        if (limits.tokensPerDay() > 0 && counters.count(subject, "tokens_day", day) + tokens > limits.tokensPerDay()) {
            return refused("tokens_per_day", day.end());
        }
        if (limits.usdPerDay() > 0 && counters.count(subject, "usd_day", day) + micros > limits.usdPerDay()) {
            return refused("usd_per_day", day.end());
        }
        Window month = month(now);
        if (limits.usdPerMonth() > 0 && counters.count(subject, "usd_month", month) + micros > limits.usdPerMonth()) {
            return refused("usd_per_month", month.end());
        }
        return null;
    }
}
