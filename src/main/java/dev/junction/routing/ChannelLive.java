package dev.junction.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A channel's state now, as the Channels page shows it: {@code healthy}; {@code unhealthy} (its
 * health check fails); {@code keys_disabled} (the provider refuses every key); {@code cooling} (every
 * key resting after a 429 or a remaining-0 header, for the whole channel or one upstream model) until
 * a time; {@code breaker} (circuit open) until a time; {@code limit} (one of its {@code limits:}
 * reached) until a time. Then each key's own state (by its last four characters), each limit's use,
 * and the share of its day or month quota left. Reads state; takes nothing.
 *
 * @param until when a cooling, breaker or limit state ends; null otherwise
 * @param detail what the state is about (the upstream model, the limit), or empty
 * @param quotaRemaining share of the channel's day or month quota left (1 without one)
 */
public record ChannelLive(String state, Instant until, String detail, List<KeyLive> keys, List<LimitUse> limits,
        double quotaRemaining, int inFlight) {

    /**
     * One provider key: {@code ok}, {@code cooling} (until) or {@code disabled} (reason).
     *
     * @param suffix the key's last four characters (empty for a channel without auth)
     */
    public record KeyLive(String suffix, String state, Instant until, String reason) {
    }

    /** One configured limit's use now (USD limits in micro-dollars). */
    public record LimitUse(String limit, long used, long max) {
    }

    static ChannelLive of(Channel channel, ChannelQuota quota, ChannelLoad load, Instant now) {
        List<KeyLive> keys = new ArrayList<>();
        for (KeyState key : channel.keys()) {
            if (key.disabled()) {
                keys.add(new KeyLive(key.suffix(), "disabled", null, key.disabledReason()));
            } else if (key.coolUntil().isAfter(now)) {
                keys.add(new KeyLive(key.suffix(), "cooling", key.coolUntil(), ""));
            } else {
                keys.add(new KeyLive(key.suffix(), "ok", null, ""));
            }
        }
        List<LimitUse> limits = quota == null ? List.of()
                : quota.use(now).stream().map(u -> new LimitUse(u.limit(), u.used(), u.max())).toList();
        double remaining = load == null ? 1.0 : load.remainingShare();
        int inFlight = load == null ? 0 : load.inFlight.get();
        String state = "healthy";
        Instant until = null;
        String detail = "";
        List<String> models = new ArrayList<>();
        models.add("");
        models.addAll(channel.upstreamModels());
        if (!channel.healthy()) {
            state = "unhealthy";
            detail = "health check failing";
        } else if (!channel.keys().isEmpty() && channel.keys().stream().allMatch(KeyState::disabled)) {
            state = "keys_disabled";
            detail = "every key disabled";
        } else {
            for (String model : models) {
                if (channel.usableKey(java.util.Set.of(), model, now) == null) {
                    KeyState soonest = channel.soonestKey(java.util.Set.of(), model);
                    state = "cooling";
                    until = soonest == null ? null : soonest.coolUntil(model);
                    detail = model.isEmpty() ? "every key resting" : model + ": every key resting";
                    break;
                }
                if (channel.availableAt(model, now).isAfter(now)) {
                    state = "breaker";
                    until = channel.availableAt(model, now);
                    detail = (model.isEmpty() ? "" : model + ": ") + "circuit "
                            + (model.isEmpty() ? channel.circuit() : channel.circuit(model));
                    break;
                }
            }
            if (state.equals("healthy") && quota != null) {
                ChannelQuota.Check check = quota.peek(1, 0, now);
                if (check != null) {
                    state = "limit";
                    until = check.freeAt();
                    detail = check.limit() + " reached";
                }
            }
        }
        return new ChannelLive(state, until, detail, List.copyOf(keys), limits, remaining, inFlight);
    }
}
