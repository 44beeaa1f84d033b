package dev.junction.admin.alerts;

import dev.junction.config.AlertsConfig;
import dev.junction.core.Clock;
import dev.junction.governance.Limiter;
import dev.junction.governance.QuotaBook;
import dev.junction.routing.Router;
import dev.junction.store.AlertStore;
import dev.junction.store.AlertStore.AlertRow;
import dev.junction.store.AlertStore.ExceptionRow;
import dev.junction.store.AuditStore;
import dev.junction.store.ConfigVersions;
import dev.junction.store.Conflict;
import dev.junction.store.Database;
import dev.junction.store.Secrets;
import dev.junction.store.WebhookStore;
import dev.junction.usage.UsageStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Alerts: every {@code alerts.every} it evaluates each enabled rule (the file's and the admin
 * API's) on the injected clock, applies the teams' approved exceptions, sets each finding's tier by
 * the {@link TierTable}, and reconciles with the open alerts in the database: a new finding opens an
 * alert and notifies (dashboard row, webhooks), one still firing is refreshed without a new notice
 * (deduplicated; a rise in tier notifies again), one no longer found is resolved with a recovery
 * notice. At most one alert is open per rule and subject, even with several instances evaluating.
 * Exceptions whose time is up are marked expired here, in the audit log.
 */
public final class AlertService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What one evaluation did. */
    public record Evaluation(int findings, List<AlertRow> fired, List<AlertRow> escalated, List<AlertRow> recovered,
            List<String> failedRules) {
    }

    private final AlertsConfig config;
    private final AlertStore store;
    private final AuditStore audit;
    private final Checks checks;
    private final Baselines baselines;
    private final Webhooks webhooks;
    private final WebhookStore webhookStore;
    private final TierTable table;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    private AlertService(AlertsConfig config, AlertStore store, AuditStore audit, Checks checks, Baselines baselines,
            Webhooks webhooks, WebhookStore webhookStore, TierTable table, Clock clock) {
        this.webhookStore = webhookStore;
        this.config = config;
        this.store = store;
        this.audit = audit;
        this.checks = checks;
        this.baselines = baselines;
        this.webhooks = webhooks;
        this.table = table;
        this.clock = clock;
    }

    /**
     * The alerts of {@code database} with the file's {@code config}; {@code baselines} compares
     * routing-config versions for the baseline-shift rule; the admin API's webhooks are unsealed
     * with {@code secrets}. Call {@link #start()} to evaluate on a schedule; {@link #evaluate()} runs
     * one evaluation now. Notices go to the webhooks either way.
     */
    public static AlertService create(AlertsConfig config, Database database, Secrets secrets, Router router,
            QuotaBook book, Limiter limiter, Baselines baselines, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(baselines, "baselines");
        WebhookStore hooks = new WebhookStore(database, secrets);
        return new AlertService(config, new AlertStore(database), new AuditStore(database),
                new Checks(new UsageStats(database), router, book, limiter, baselines), baselines,
                Webhooks.start(config.webhooks(), () -> hooks.all().stream().map(Hook::of).toList(), clock,
                        Webhooks.Pause.SLEEP), hooks,
                TierTable.STANDARD, clock);
    }

    /**
     * The baseline-shift rule's comparisons from {@code baselines}, the interval-based baselines the
     * dashboard shows ({@link IntervalBaselines}).
     */
    public static Baselines baselines(dev.junction.usage.Baselines baselines, ConfigVersions versions) {
        return new IntervalBaselines(baselines, versions);
    }

    /** As above, over {@code database} with the default policy (30 requests a side, 95 % intervals). */
    public static Baselines baselines(Database database, Clock clock) {
        ConfigVersions versions = new ConfigVersions(database);
        return baselines(new dev.junction.usage.Baselines(database, versions, clock,
                dev.junction.usage.Baselines.Policy.DEFAULT), versions);
    }

    /** Evaluates every {@code alerts.every} from now on. */
    public synchronized AlertService start() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "alert-rules");
                t.setDaemon(true);
                return t;
            });
            long every = config.every().toMillis();
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    evaluate();
                } catch (RuntimeException e) {
                    LOG.warn("alert evaluation failed: {}", e.toString());
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    public AlertStore store() {
        return store;
    }

    public TierTable table() {
        return table;
    }

    public Baselines baselines() {
        return baselines;
    }

    public Webhooks webhooks() {
        return webhooks;
    }

    /** The admin API's webhooks as stored (the file's are in {@link #webhooks()} only). */
    public WebhookStore webhookStore() {
        return webhookStore;
    }

    public Duration every() {
        return config.every();
    }

    public Instant now() {
        return clock.now();
    }

    /** The file's rules (read-only), then the API's, by name. */
    public List<Rule> rules() {
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (AlertsConfig.Rule r : config.rules()) {
            RuleKind.parse(r.kind()).ifPresent(kind -> rules.put(r.name(), new Rule(r.name(), kind, r.threshold(),
                    r.window(), r.model(), r.minRequests(), true, Rule.FILE)));
        }
        for (AlertStore.RuleRow r : store.rules()) {
            Optional<RuleKind> kind = RuleKind.parse(r.kind());
            if (kind.isPresent() && !rules.containsKey(r.name())) {
                rules.put(r.name(), new Rule(r.name(), kind.get(), r.threshold(), Duration.ofMillis(r.windowMillis()),
                        r.model(), r.minRequests(), r.enabled(), Rule.DATABASE));
            }
        }
        return List.copyOf(rules.values());
    }

    public Optional<Rule> rule(String name) {
        return rules().stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** The approved exceptions in force now. */
    public List<ExceptionRow> activeExceptions() {
        long now = clock.now().toEpochMilli();
        return store.exceptions().stream().filter(e -> e.state().equals("approved") && e.expiresMillis() > now)
                .toList();
    }

    /** One evaluation of every enabled rule now; see the class comment. */
    public synchronized Evaluation evaluate() {
        Instant now = clock.now();
        long at = now.toEpochMilli();
        expireExceptions(at);
        List<ExceptionRow> exceptions = activeExceptions();
        List<Finding> findings = new ArrayList<>();
        Set<String> judged = new HashSet<>();
        List<String> failed = new ArrayList<>();
        Set<String> silenced = new HashSet<>();
        List<Rule> rules = rules();
        for (Rule rule : rules) {
            if (!rule.enabled()) {
                continue;
            }
            try {
                for (Finding finding : checks.run(rule, now)) {
                    Optional<Finding> kept = applyExceptions(finding, exceptions);
                    if (kept.isPresent()) {
                        findings.add(kept.get());
                    } else {
                        silenced.add(key(rule.name(), finding.subject()));
                    }
                }
                judged.add(rule.name());
            } catch (RuntimeException e) {
                // A rule that could not be measured keeps its open alerts as they are.
                LOG.warn("alert rule {} could not be evaluated: {}", rule.name(), e.toString());
                failed.add(rule.name());
            }
        }
        Set<String> known = new HashSet<>();
        rules.forEach(r -> known.add(r.name()));
        Map<String, AlertRow> open = new HashMap<>();
        for (AlertRow row : store.open()) {
            open.put(key(row.rule(), row.subject()), row);
        }
        List<AlertRow> fired = new ArrayList<>();
        List<AlertRow> escalated = new ArrayList<>();
        List<AlertRow> recovered = new ArrayList<>();
        for (Finding f : findings) {
            Tier tier = table.tierOf(f.reach());
            AlertRow existing = open.remove(key(f.rule().name(), f.subject()));
            if (existing == null) {
                try {
                    AlertRow row = store.openAlert(new AlertRow(0, f.rule().name(), f.rule().kind().wire(),
                            f.subject(), f.model(), tier.wire(), f.value(), f.threshold(), f.summary(),
                            f.reach().keys(), f.reach().users(), f.reach().teams(), f.reach().spendMicros(), at, at,
                            OptionalLong.empty(), f.reach().teamIds()));
                    fired.add(row);
                    notify(new Notice(Notice.Event.FIRING, row, now));
                } catch (Conflict anotherInstanceRaisedIt) {
                    // Deduplicated across instances: the other one notified.
                }
            } else {
                store.refresh(existing.id(), tier.wire(), f.value(), f.threshold(), f.summary(), f.reach().keys(),
                        f.reach().users(), f.reach().teams(), f.reach().spendMicros(), f.reach().teamIds(), at);
                Tier before = Tier.parse(existing.tier()).orElse(Tier.INFO);
                if (tier.compareTo(before) > 0) {
                    AlertRow row = store.alert(existing.id()).orElseThrow();
                    escalated.add(row);
                    notify(new Notice(Notice.Event.ESCALATED, row, now));
                }
            }
        }
        for (AlertRow row : open.values()) {
            boolean ruleGone = !known.contains(row.rule());
            if (!ruleGone && !judged.contains(row.rule())) {
                continue;
            }
            if (store.resolve(row.id(), at)) {
                AlertRow done = store.alert(row.id()).orElseThrow();
                // A silenced alert ends quietly: it did not recover, a team's exception covers it.
                if (!silenced.contains(key(row.rule(), row.subject()))) {
                    recovered.add(done);
                    notify(new Notice(Notice.Event.RECOVERED, done, now));
                }
            }
        }
        return new Evaluation(findings.size(), fired, escalated, recovered, failed);
    }

    private static String key(String rule, String subject) {
        return rule + "\u0000" + subject;
    }

    /** The finding after the exceptions for its rule and model: silenced (empty), or judged on a raised threshold. */
    private static Optional<Finding> applyExceptions(Finding finding, List<ExceptionRow> exceptions) {
        if (finding.model().isEmpty()) {
            return Optional.of(finding);
        }
        Finding result = finding;
        for (ExceptionRow e : exceptions) {
            if (!e.rule().equals(finding.rule().name()) || !e.model().equals(finding.model().get())) {
                continue;
            }
            if (e.kind().equals("silence")) {
                return Optional.empty();
            }
            double custom = e.threshold().orElse(result.threshold());
            if (finding.value() < custom) {
                return Optional.empty();
            }
            result = result.withThreshold(Math.max(custom, result.threshold()));
        }
        return Optional.of(result);
    }

    private void notify(Notice notice) {
        LOG.info("alert {} {} [{}] {} on {}: {}", notice.alert().id(), notice.event().wire(), notice.alert().tier(),
                notice.alert().rule(), notice.alert().subject(), notice.alert().summary());
        webhooks.send(notice);
    }

    /** Marks pending and approved exceptions past their time expired, each in the audit log. */
    private void expireExceptions(long now) {
        for (ExceptionRow e : store.exceptions()) {
            if ((e.state().equals("pending") || e.state().equals("approved")) && e.expiresMillis() <= now
                    && store.expire(e.id(), e.state())) {
                var after = JSON.createObjectNode();
                after.put("id", e.id());
                after.put("rule", e.rule());
                after.put("model", e.model());
                after.put("was", e.state());
                after.put("expires_at", Instant.ofEpochMilli(e.expiresMillis()).toString());
                audit.append(new AuditStore.Entry(0, now, OptionalLong.empty(), OptionalLong.empty(), "alerts",
                        "alerts.exception.expire", "alert_exception:" + e.id(), Optional.empty(),
                        Optional.of(JSON.writeValueAsString(after)), Optional.empty()));
            }
        }
    }

    /** Stops the schedule and the webhook sender (queued notices get a few seconds). */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        webhooks.close();
    }
}
