package dev.junction.governance;

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

    /**
     * Who owns a key made in the dashboard and which team it names; keys of the config file have no
     * owner and name their team with {@code team:}.
     */
    public interface KeyLinks {
        KeyLinks NONE = new KeyLinks() {
            @Override
            public Map<Long, Long> owners() {
                return Map.of();
            }

            @Override
            public Map<Long, List<Long>> teams() {
                return Map.of();
            }
        };

        /** Owner user id by key id. */
        Map<Long, Long> owners();

        /** Team ids by key id. */
        Map<Long, List<Long>> teams();
    }

    private final QuotaStore store;
    private final TeamStore teams;
    private final UserStore users;
    private final Map<String, DeclaredQuota> declared;
    private final KeyLinks links;
    private volatile Quotas current = Quotas.NONE;
    private volatile Map<Long, QuotaStore.KeyRow> keys = Map.of();

    /**
     * @param declared the config file's keys by name
     */
    public QuotaBook(QuotaStore store, TeamStore teams, UserStore users, Map<String, DeclaredQuota> declared,
            KeyLinks links) {
        this.store = Objects.requireNonNull(store, "store");
        this.teams = Objects.requireNonNull(teams, "teams");
        this.users = Objects.requireNonNull(users, "users");
        this.declared = Map.copyOf(declared);
        this.links = Objects.requireNonNull(links, "links");
    }

    /** Creates every team the config file's keys name that the database does not have yet. */
    public void createDeclaredTeams(long nowMillis) {
        Set<String> known = new java.util.HashSet<>();
        teams.list().forEach(t -> known.add(t.name()));
        for (DeclaredQuota quota : declared.values()) {
            String team = quota.team().map(QuotaBook::teamName).orElse(null);
            if (team != null && known.add(team)) {
                try {
                    teams.create(team, nowMillis);
                    LOG.info("created team '{}', named by a key of the config file", team);
                } catch (Conflict anotherInstanceMadeIt) {
                    // fine
                }
            }
        }
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
        Map<Long, QuotaStore.KeyRow> liveKeys = store.liveKeys();
        List<TeamStore.Team> teamList = teams.list();
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
        Map<Long, List<Long>> keyTeams = new HashMap<>(links.teams());
        for (QuotaStore.KeyRow key : liveKeys.values()) {
            if (!key.source().equals(KeyStore.FILE)) {
                continue;
            }
            DeclaredQuota quota = declared.getOrDefault(key.name(), DeclaredQuota.NONE);
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
        Quotas next = Quotas.of(quotas, keyTeams, links.owners(), userTeams);
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
