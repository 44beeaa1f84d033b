package dev.junction.admin;

import dev.junction.core.Clock;
import dev.junction.governance.Action;
import dev.junction.governance.Budget;
import dev.junction.governance.KeyStore;
import dev.junction.governance.Level;
import dev.junction.governance.Limiter;
import dev.junction.governance.Limits;
import dev.junction.governance.Period;
import dev.junction.governance.Quota;
import dev.junction.governance.QuotaBook;
import dev.junction.governance.Role;
import dev.junction.governance.SoftThresholds;
import dev.junction.governance.Target;
import dev.junction.store.QuotaStore;
import dev.junction.store.TeamStore;
import dev.junction.store.UserStore;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/limits}: the limits ({@code rpm}, {@code tpm}, {@code concurrent}) and budget
 * ({@code usd} per {@code day}, {@code week} or {@code month}) of keys, users and teams, with what
 * each has used now and which are past 80 %. Owners and admins set them (an admin not on an owner);
 * a key of the config file takes its own from the file and is read-only here.
 */
final class LimitApi {

    private static final Set<String> FIELDS = Set.of("limits", "budget");
    private static final Set<String> LIMIT_FIELDS = Set.of("rpm", "tpm", "concurrent");
    private static final Set<String> BUDGET_FIELDS = Set.of("usd", "period");

    private final QuotaStore store;
    private final QuotaBook book;
    private final Limiter limiter;
    private final Runnable changed;
    private final UserStore users;
    private final TeamStore teams;
    private final Auditor audit;
    private final Clock clock;

    LimitApi(QuotaStore store, AdminApi.Limits limits, UserStore users, TeamStore teams, Auditor audit, Clock clock) {
        this.store = store;
        this.book = limits.book();
        this.limiter = limits.limiter();
        this.changed = limits.changed();
        this.users = users;
        this.teams = teams;
        this.audit = audit;
        this.clock = clock;
    }

    List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.add(Route.of("GET", "/api/limits", this::list));
        for (Level level : Level.values()) {
            String path = "/api/limits/" + level.wire() + "s/{id}";
            routes.add(Route.of("GET", path, call -> read(call, level)));
            routes.add(Route.of("PUT", path, call -> put(call, level)));
            routes.add(Route.of("DELETE", path, call -> delete(call, level)));
        }
        return routes;
    }

    /** A key, user or team that exists, with what permission checks need. */
    private record Subject(Level level, long id, String name, String source, Target target, Target whole) {
    }

    private Subject subject(Call call, Level level) {
        long id = call.id("id");
        return switch (level) {
            case KEY -> {
                QuotaStore.KeyRow key = book.keys().get(id);
                if (key == null) {
                    key = store.liveKeys().get(id);
                }
                if (key == null) {
                    throw ApiException.notFound("There is no such key.");
                }
                Target whole = new Target.Whole(Target.Area.KEYS);
                Target target = key.owner().isPresent() ? users.find(key.owner().getAsLong())
                        .map(u -> (Target) new Target.Owned(Target.Kind.KEY, u.id(),
                                Role.parse(u.role()).orElse(Role.VIEWER))).orElse(whole) : whole;
                yield new Subject(level, id, key.name(), key.source(), target, whole);
            }
            case USER -> {
                UserStore.User user = users.find(id).orElseThrow(() -> ApiException.notFound("There is no such user."));
                yield new Subject(level, id, user.name(), "database",
                        new Target.User(id, Role.parse(user.role()).orElse(Role.VIEWER)),
                        new Target.Whole(Target.Area.USERS));
            }
            case TEAM -> {
                TeamStore.Team team = teams.find(id).orElseThrow(() -> ApiException.notFound("There is no such team."));
                yield new Subject(level, id, team.name(), "database", new Target.Team(id),
                        new Target.Whole(Target.Area.TEAMS));
            }
        };
    }

    private Reply list(Call call) {
        var array = Json.array();
        for (Quota quota : book.current().all()) {
            Target target = switch (quota.level()) {
                case KEY -> {
                    QuotaStore.KeyRow key = book.keys().get(quota.id());
                    Optional<UserStore.User> owner = key == null || key.owner().isEmpty() ? Optional.empty()
                            : users.find(key.owner().getAsLong());
                    yield owner.map(u -> (Target) new Target.Owned(Target.Kind.KEY, u.id(),
                            Role.parse(u.role()).orElse(Role.VIEWER))).orElse(new Target.Whole(Target.Area.KEYS));
                }
                case USER -> users.find(quota.id()).map(u -> (Target) new Target.User(u.id(),
                        Role.parse(u.role()).orElse(Role.VIEWER))).orElse(new Target.Whole(Target.Area.USERS));
                case TEAM -> new Target.Team(quota.id());
            };
            if (call.principal().can(Action.READ, target)) {
                String source = quota.level() == Level.KEY ? sourceOf(quota.id()) : "database";
                array.add(view(quota.level(), quota.id(), quota.name(), source, Optional.of(quota), true));
            }
        }
        ObjectNode node = Json.object();
        node.set("data", array);
        return Reply.ok(node);
    }

    private String sourceOf(long keyId) {
        QuotaStore.KeyRow key = book.keys().get(keyId);
        return key == null ? "database" : key.source();
    }

    private Reply read(Call call, Level level) {
        Subject subject = subject(call, level);
        call.require(Action.READ, subject.target());
        return Reply.ok(view(subject, true));
    }

    private ObjectNode view(Subject s, boolean usage) {
        return view(s.level(), s.id(), s.name(), s.source(), book.current().find(s.level(), s.id()), usage);
    }

    private ObjectNode view(Level level, long id, String name, String source, Optional<Quota> quota, boolean usage) {
        ObjectNode node = Json.object();
        node.put("subject", level.wire());
        node.put("id", id);
        node.put("name", name);
        node.put("source", source.equals(KeyStore.FILE) ? "file" : "database");
        Limits limits = quota.map(Quota::limits).orElse(Limits.NONE);
        ObjectNode l = node.putObject("limits");
        putLimit(l, "rpm", limits.rpm());
        putLimit(l, "tpm", limits.tpm());
        putLimit(l, "concurrent", limits.concurrent());
        Optional<Budget> budget = quota.flatMap(Quota::budget);
        if (budget.isPresent()) {
            ObjectNode b = node.putObject("budget");
            b.put("usd", Budget.dollars(budget.get().micros()));
            b.put("period", budget.get().period().wire());
        } else {
            node.putNull("budget");
        }
        if (usage) {
            Quota q = quota.orElse(new Quota(level, id, name, Limits.NONE, Optional.empty()));
            Limiter.Usage used = limiter.usage(q);
            ObjectNode u = node.putObject("usage");
            u.put("minute_start", used.minute().start().toString());
            u.put("requests", used.requests());
            u.put("tokens", used.tokens());
            u.put("in_flight", used.inFlight());
            if (used.period() != null) {
                u.put("spend_usd", Budget.dollars(used.spendMicros()));
                u.put("period_start", used.period().start().toString());
                u.put("period_end", used.period().end().toString());
            }
            var near = node.putArray("near_limit");
            if (SoftThresholds.reached(used.requests(), limits.rpm())) {
                near.add(Limiter.RPM);
            }
            if (SoftThresholds.reached(used.tokens(), limits.tpm())) {
                near.add(Limiter.TPM);
            }
            if (SoftThresholds.reached(used.inFlight(), limits.concurrent())) {
                near.add(Limiter.CONCURRENT);
            }
            if (budget.isPresent() && SoftThresholds.reached(used.spendMicros(), budget.get().micros())) {
                near.add(Limiter.BUDGET);
            }
        }
        return node;
    }

    private static void putLimit(ObjectNode node, String field, long value) {
        if (value > 0) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }

    private Subject writable(Call call, Level level) {
        Subject subject = subject(call, level);
        call.require(Action.UPDATE, subject.whole());
        call.require(Action.UPDATE, subject.target());
        if (subject.source().equals(KeyStore.FILE)) {
            throw ApiException.conflict("read_only", "This key comes from the config file: set its limits and "
                    + "budget there (limits:, budget:, team:).", null);
        }
        return subject;
    }

    private Reply put(Call call, Level level) {
        Subject subject = writable(call, level);
        Body body = call.body(FIELDS);
        OptionalLong rpm = OptionalLong.empty();
        OptionalLong tpm = OptionalLong.empty();
        OptionalLong concurrent = OptionalLong.empty();
        Optional<JsonNode> limits = body.object("limits");
        if (limits.isPresent()) {
            only(limits.get(), LIMIT_FIELDS, "limits");
            rpm = count(limits.get(), "rpm");
            tpm = count(limits.get(), "tpm");
            concurrent = count(limits.get(), "concurrent");
        }
        OptionalLong micros = OptionalLong.empty();
        Optional<String> period = Optional.empty();
        Optional<JsonNode> budget = body.object("budget");
        if (budget.isPresent()) {
            only(budget.get(), BUDGET_FIELDS, "budget");
            micros = OptionalLong.of(dollars(budget.get().get("usd")));
            JsonNode p = budget.get().get("period");
            if (p == null || !p.isString() || Period.parse(p.stringValue()).isEmpty()) {
                throw ApiException.invalid("budget.period", "must be one of day, week, month");
            }
            period = Optional.of(p.stringValue());
        }
        ObjectNode before = view(subject, false);
        store.put(new QuotaStore.Row(level.wire(), subject.id(), rpm, tpm, concurrent, micros, period,
                clock.now().toEpochMilli()));
        changed.run();
        ObjectNode after = view(subject, false);
        audit.record(call, "limits.update", level.wire() + ":" + subject.id(), before, after);
        return Reply.ok(view(subject, true));
    }

    private Reply delete(Call call, Level level) {
        Subject subject = writable(call, level);
        ObjectNode before = view(subject, false);
        if (store.delete(level.wire(), subject.id())) {
            changed.run();
            audit.record(call, "limits.delete", level.wire() + ":" + subject.id(), before, view(subject, false));
        }
        return Reply.noContent();
    }

    private static void only(JsonNode node, Set<String> allowed, String prefix) {
        for (String name : node.propertyNames()) {
            if (!allowed.contains(name)) {
                throw ApiException.invalid(prefix + "." + name, "is not a field here; expected one of "
                        + allowed.stream().sorted().toList());
            }
        }
    }

    private static OptionalLong count(JsonNode limits, String field) {
        JsonNode value = limits.get(field);
        if (value == null || value.isNull()) {
            return OptionalLong.empty();
        }
        if (!value.isIntegralNumber() || value.longValue() < 1) {
            throw ApiException.invalid("limits." + field, "must be a whole number of at least 1, or null for no limit");
        }
        return OptionalLong.of(value.longValue());
    }

    private static long dollars(JsonNode value) {
        BigDecimal usd;
        try {
            if (value != null && value.isNumber()) {
                usd = value.decimalValue();
            } else if (value != null && value.isString()) {
                usd = new BigDecimal(value.stringValue().strip());
            } else {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw ApiException.invalid("budget.usd", "must be an amount of dollars such as 20 or \"0.50\"");
        }
        if (usd.signum() < 0 || usd.stripTrailingZeros().scale() > 6
                || usd.compareTo(BigDecimal.valueOf(1_000_000_000L)) > 0) {
            throw ApiException.invalid("budget.usd", "must be between 0 and 1000000000 with at most 6 decimal places");
        }
        return usd.movePointRight(6).longValueExact();
    }
}
