package dev.junction.admin.alerts;

import dev.junction.store.ConfigVersions;
import dev.junction.store.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The simple {@link Baselines}: per public model, the mean cost per priced, answered request under
 * the latest routing-config version against the version before it, read from the usage rows (each
 * carries the version it was routed under), over the last {@code lookback}. No confidence interval
 * (margin 0); {@code significant} means both sides have at least {@code minSamples} requests.
 */
final class VersionBaselines implements Baselines {

    private final Database database;
    private final ConfigVersions versions;
    private final Duration lookback;
    private final long minSamples;

    public VersionBaselines(Database database, Duration lookback, long minSamples) {
        this.database = Objects.requireNonNull(database, "database");
        this.versions = new ConfigVersions(database);
        this.lookback = Objects.requireNonNull(lookback, "lookback");
        this.minSamples = minSamples;
    }

    private record Side(long requests, long micros) {
    }

    @Override
    public List<Comparison> compare(Instant now) {
        List<ConfigVersions.Version> latest = versions.list(2, 0);
        if (latest.size() < 2) {
            return List.of();
        }
        ConfigVersions.Version current = latest.get(0);
        ConfigVersions.Version previous = latest.get(1);
        long from = now.minus(lookback).toEpochMilli();
        Map<String, Map<Long, Side>> sides = new HashMap<>();
        database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT public_model, config_version, "
                + "COUNT(*) AS n, SUM(cost_micros) AS c FROM usage WHERE ts >= :from AND status < 400 "
                + "AND cost_micros IS NOT NULL AND public_model IS NOT NULL "
                + "AND config_version IN (:previous, :current) GROUP BY public_model, config_version")
                .bind("from", from).bind("previous", previous.number()).bind("current", current.number())
                .map((rs, ctx) -> {
                    sides.computeIfAbsent(rs.getString("public_model"), m -> new HashMap<>())
                            .put(rs.getLong("config_version"), new Side(rs.getLong("n"), rs.getLong("c")));
                    return 0;
                }).list()));
        List<Comparison> comparisons = new ArrayList<>();
        sides.forEach((model, byVersion) -> {
            Side before = byVersion.get(previous.number());
            Side after = byVersion.get(current.number());
            if (before == null || after == null) {
                return;
            }
            comparisons.add(new Comparison(model, previous.number(), current.number(),
                    Instant.ofEpochMilli(current.atMillis()), "cost_per_request_usd",
                    before.micros() / 1e6 / before.requests(), after.micros() / 1e6 / after.requests(),
                    before.requests(), after.requests(), 0,
                    before.requests() >= minSamples && after.requests() >= minSamples));
        });
        comparisons.sort(java.util.Comparator.comparing(Comparison::model));
        return comparisons;
    }
}
