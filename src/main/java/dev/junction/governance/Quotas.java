package dev.junction.governance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every limit and budget in force, as one immutable snapshot: which quotas a gateway key must pass.
 * They are, in order, the key's own, its owner's (a user), and its teams': the team the key names,
 * or when it names none every team its owner is in. Replaced whole when a limit changes.
 */
public final class Quotas {

    /** No limits anywhere. */
    public static final Quotas NONE = new Quotas(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

    private final Map<Long, Quota> keys;
    private final Map<Long, Quota> users;
    private final Map<Long, Quota> teams;
    private final Map<Long, List<Long>> keyTeams;
    private final Map<Long, Long> keyOwners;
    private final Map<Long, Set<Long>> userTeams;
    private final Map<Long, List<Quota>> byKey = new ConcurrentHashMap<>();

    private Quotas(Map<Long, Quota> keys, Map<Long, Quota> users, Map<Long, Quota> teams,
            Map<Long, List<Long>> keyTeams, Map<Long, Long> keyOwners, Map<Long, Set<Long>> userTeams) {
        this.keys = Map.copyOf(keys);
        this.users = Map.copyOf(users);
        this.teams = Map.copyOf(teams);
        this.keyTeams = Map.copyOf(keyTeams);
        this.keyOwners = Map.copyOf(keyOwners);
        this.userTeams = Map.copyOf(userTeams);
    }

    /**
     * @param quotas the quotas that limit something, at every level
     * @param keyTeams the teams a key names, by key id
     * @param keyOwners the user who owns a key, by key id (keys of the config file have none)
     * @param userTeams the teams each user is in
     */
    public static Quotas of(List<Quota> quotas, Map<Long, List<Long>> keyTeams, Map<Long, Long> keyOwners,
            Map<Long, Set<Long>> userTeams) {
        Map<Level, Map<Long, Quota>> byLevel = Map.of(Level.KEY, new HashMap<>(), Level.USER,
                new HashMap<>(), Level.TEAM, new HashMap<>());
        for (Quota quota : quotas) {
            if (quota.limitsAnything()) {
                byLevel.get(quota.level()).put(quota.id(), quota);
            }
        }
        return new Quotas(byLevel.get(Level.KEY), byLevel.get(Level.USER), byLevel.get(Level.TEAM), keyTeams,
                keyOwners, userTeams);
    }

    /** The quotas a request with key {@code keyId} must pass, key first; empty when nothing limits it. */
    public List<Quota> of(long keyId) {
        List<Quota> known = byKey.get(keyId);
        if (known == null) {
            known = resolve(keyId);
            byKey.putIfAbsent(keyId, known);
        }
        return known;
    }

    private List<Quota> resolve(long keyId) {
        List<Quota> found = new ArrayList<>(3);
        add(found, keys.get(keyId));
        Long owner = keyOwners.get(keyId);
        if (owner != null) {
            add(found, users.get(owner));
        }
        List<Long> named = keyTeams.get(keyId);
        Iterable<Long> teamIds = named != null && !named.isEmpty() ? named
                : owner != null ? userTeams.getOrDefault(owner, Set.of()) : List.of();
        for (Long team : teamIds) {
            add(found, teams.get(team));
        }
        return List.copyOf(found);
    }

    private static void add(List<Quota> found, Quota quota) {
        if (quota != null) {
            found.add(quota);
        }
    }

    /** The quota of one key, user or team, if it has one. */
    public Optional<Quota> find(Level level, long id) {
        Map<Long, Quota> map = switch (level) {
            case KEY -> keys;
            case USER -> users;
            case TEAM -> teams;
        };
        return Optional.ofNullable(map.get(id));
    }

    /** Every quota, keys first. */
    public List<Quota> all() {
        List<Quota> all = new ArrayList<>(keys.values());
        all.addAll(users.values());
        all.addAll(teams.values());
        return all;
    }

    /** The key ids that count toward a quota, for adding up what they spent (keys with no quota included). */
    public List<Long> keysOf(Level level, long id, Iterable<Long> allKeys) {
        List<Long> found = new ArrayList<>();
        for (Long key : allKeys) {
            if (of(key).stream().anyMatch(q -> q.level() == level && q.id() == id)) {
                found.add(key);
            }
        }
        return found;
    }

    @Override
    public String toString() {
        return "Quotas[keys=" + keys.size() + ", users=" + users.size() + ", teams=" + teams.size() + "]";
    }
}
