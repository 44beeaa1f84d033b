package dev.junction.governance;

import dev.junction.core.Clock;
import dev.junction.store.Conflict;
import dev.junction.store.QuotaStore;
import dev.junction.store.TeamStore;
import dev.junction.store.UserStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Quotas} in force, built from the config file's keys ({@code team:}, {@code limits:},
 * {@code budget:}) and the {@code quotas} table (users, teams, and keys made in the dashboard), and
 * rebuilt whole by {@link #reload} when one of them changes. Readers get the current snapshot
 * without locking.
 */
public final class QuotaBook {

    private static final Logger LOG = LoggerFactory.getLogger(QuotaBook.class);

    private final QuotaStore store;
    private final TeamStore teams;
    private final UserStore users;
    private final Supplier<Map<String, DeclaredQuota>> declared;
    private final Clock clock;
    private volatile Quotas current = Quotas.NONE;
    private volatile Map<Long, QuotaStore.KeyRow> keys = Map.of();

    /**
     * @param declared what the config file running now says of its keys, by key name (it changes
     *     when the file is reloaded)
     */
    public QuotaBook(QuotaStore store, TeamStore teams, UserStore users,
            Supplier<Map<String, DeclaredQuota>> declared, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.store = Objects.requireNonNull(store, "store");
        this.teams = Objects.requireNonNull(teams, "teams");
        this.users = Objects.requireNonNull(users, "users");
        this.declared = Objects.requireNonNull(declared, "declared");
    }

    /** Creates every team the config file's keys name that the database does not have yet; whether it made one. */
    private boolean createDeclaredTeams(Map<String, DeclaredQuota> declared, List<TeamStore.Team> existing,
            long nowMillis) {
        boolean made = false;
        Set<String> known = new java.util.HashSet<>();
        existing.forEach(t -> known.add(t.name()));
        for (DeclaredQuota quota : declared.values()) {
            String team = quota.team().map(QuotaBook::teamName).orElse(null);
            if (team != null && known.add(team)) {
                try {
                    teams.create(team, nowMillis);
                    LOG.info("created team '{}', named by a key of the config file", team);
                } catch (Conflict anotherInstanceMadeIt) {
                    // fine
                }
                made = true;
            }
        }
        return made;
    }

    /** Team names are stored lower case. */
    static String teamName(String name) {
        return name.strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** The quotas in force now. */
    public Quotas current() {
        return current;
    }

    /** The live keys as last loaded, by id. */
    public Map<Long, QuotaStore.KeyRow> keys() {
        return keys;
    }

    /** Reads everything again and swaps the snapshot; returns it. */
    public synchronized Quotas reload() {
        Map<String, DeclaredQuota> fileKeys = declared.get();
        Map<Long, QuotaStore.KeyRow> liveKeys = store.liveKeys();
        List<TeamStore.Team> teamList = teams.list();
        if (createDeclaredTeams(fileKeys, teamList, clock.now().toEpochMilli())) {
            teamList = teams.list();
        }
        Map<String, Long> teamIds = new HashMap<>();
        Map<Long, String> teamNames = new HashMap<>();
        Map<Long, java.util.Set<Long>> userTeams = new HashMap<>();
        for (TeamStore.Team team : teamList) {
            teamIds.put(team.name(), team.id());
            teamNames.put(team.id(), team.name());
            for (Long member : team.members()) {
                userTeams.computeIfAbsent(member, u -> new java.util.HashSet<>()).add(team.id());
            }
        }
        Map<Long, String> userNames = new HashMap<>();
        users.list().forEach(u -> userNames.put(u.id(), u.name()));
        List<Quota> quotas = new ArrayList<>();
        Map<Long, List<Long>> keyTeams = new HashMap<>();
        Map<Long, Long> keyOwners = new HashMap<>();
        for (QuotaStore.KeyRow key : liveKeys.values()) {
            key.owner().ifPresent(owner -> keyOwners.put(key.id(), owner));
            key.team().ifPresent(team -> keyTeams.put(key.id(), List.of(team)));
            if (!key.source().equals(KeyStore.FILE)) {
                continue;
            }
            DeclaredQuota quota = fileKeys.getOrDefault(key.name(), DeclaredQuota.NONE);
            quotas.add(new Quota(Level.KEY, key.id(), key.name(), quota.limits(), quota.budget()));
            quota.team().map(QuotaBook::teamName).map(teamIds::get).ifPresent(t -> keyTeams.put(key.id(), List.of(t)));
        }
        for (QuotaStore.Row row : store.list()) {
            Optional<Level> level = Level.parse(row.subjectType());
            if (level.isEmpty()) {
                continue;
            }
            String name = switch (level.get()) {
                case KEY -> {
                    QuotaStore.KeyRow key = liveKeys.get(row.subjectId());
                    yield key == null || key.source().equals(KeyStore.FILE) ? null : key.name();
                }
                case USER -> userNames.get(row.subjectId());
                case TEAM -> teamNames.get(row.subjectId());
            };
            if (name != null) {
                quotas.add(quota(level.get(), row.subjectId(), name, row));
            }
        }
        Quotas next = Quotas.of(quotas, keyTeams, keyOwners, userTeams);
        keys = Map.copyOf(liveKeys);
        current = next;
        return next;
    }

    /** A row of the {@code quotas} table as a quota. */
    public static Quota quota(Level level, long id, String name, QuotaStore.Row row) {
        Limits limits = new Limits(row.rpm().orElse(0), row.tpm().orElse(0), row.concurrent().orElse(0));
        Optional<Budget> budget = row.budgetMicros().isPresent()
                ? Optional.of(new Budget(row.budgetMicros().getAsLong(),
                        Period.parse(row.budgetPeriod().orElseThrow()).orElseThrow()))
                : Optional.empty();
        return new Quota(level, id, name, limits, budget);
    }
}
