package dev.junction.app;

import dev.junction.catalog.Catalog;
import dev.junction.config.GatewayConfig;
import dev.junction.config.KeyConfig;
import dev.junction.core.Clock;
import dev.junction.governance.Budget;
import dev.junction.governance.DeclaredQuota;
import dev.junction.governance.Limiter;
import dev.junction.governance.Limits;
import dev.junction.governance.Period;
import dev.junction.governance.Quota;
import dev.junction.governance.QuotaBook;
import dev.junction.governance.Quotas;
import dev.junction.governance.SoftThresholds;
import dev.junction.ingress.LimitCheck;
import dev.junction.routing.Candidate;
import dev.junction.routing.Router;
import dev.junction.state.QuotaChanges;
import dev.junction.state.State;
import dev.junction.store.Database;
import dev.junction.store.QuotaStore;
import dev.junction.store.TeamStore;
import dev.junction.store.UserStore;
import dev.junction.usage.PeriodSpend;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits and budgets, wired: the quotas of the config file's keys and the database, the limiter over
 * the shared counters, the admission check, the spend of the current periods read back from usage
 * at start. The limits and budgets are read again when this instance changes them (or team
 * membership), before changed keys are served, and at once when another instance announces a
 * change; a reload every few seconds catches an announcement missed while Redis was away.
 */
final class QuotaService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QuotaService.class);
    static final long RELOAD_SECONDS = 5;
    /** When the spend is put back a second time after Redis lost its data (see {@link #reseed}). */
    static final long RESEED_AGAIN_MILLIS = 2_000;

    private final QuotaBook book;
    private final Limiter limiter;
    private final SoftThresholds soft;
    private final LimitCheck check;
    private final ScheduledExecutorService reloads;
    private final QuotaChanges changes;
    private final AutoCloseable subscription;
    private final Database database;
    private final Clock clock;

    private QuotaService(QuotaBook book, Limiter limiter, SoftThresholds soft, LimitCheck check,
            ScheduledExecutorService reloads, QuotaChanges changes, Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.book = book;
        this.limiter = limiter;
        this.soft = soft;
        this.check = check;
        this.reloads = reloads;
        this.changes = changes;
        this.subscription = changes.subscribe(() -> reloads.execute(this::reload));
    }

    /**
     * @param config the config file running now (its keys' {@code team:}, {@code limits:} and
     *     {@code budget:} apply with the reload's new keys)
     * @param changes where changes made here are announced, and those of other instances heard
     */
    static QuotaService start(Supplier<GatewayConfig> config, Database database, State state, Router router,
            QuotaChanges changes, Clock clock) {
        QuotaBook book = new QuotaBook(new QuotaStore(database), new TeamStore(database), new UserStore(database),
                () -> declared(config.get()), clock);
        Quotas quotas = book.reload();
        SoftThresholds soft = new SoftThresholds(clock);
        Limiter limiter = new Limiter(state.counters(), clock, soft);
        Catalog catalog = Catalog.builtIn();
        seed(quotas, book, limiter, new PeriodSpend(database), clock.now());
        LimitCheck check = LimitCheck.of(book::current, limiter, model -> upstreamModels(router, model), catalog,
                ChannelPricing.of(router));
        ScheduledExecutorService reloads = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("quota-reload").factory());
        QuotaService service = new QuotaService(book, limiter, soft, check, reloads, changes, database, clock);
        reloads.scheduleWithFixedDelay(service::reload, RELOAD_SECONDS, RELOAD_SECONDS, TimeUnit.SECONDS);
        return service;
    }

    /** Reads the limits and budgets again; on failure the last ones stay in force. */
    void reload() {
        try {
            book.reload();
        } catch (RuntimeException e) {
            LOG.warn("reloading limits and budgets failed; the last ones stay in force: {}", e.toString());
        }
    }

    /**
     * The shared counters lost their data (Redis restarted without persistence, or was flushed):
     * puts every budget's spend this period back from the usage records, on the reload thread, and
     * again {@value #RESEED_AGAIN_MILLIS} ms later. The rows of the last moment before the loss
     * were still on their way (every instance's writer commits what gathered in up to 100 ms), and
     * a loss is noticed within a heartbeat: the first pass can miss them. Each pass only raises a
     * spend to what the records say, so the second adds what the first missed and nothing twice.
     */
    void reseed() {
        Runnable seed = () -> {
            try {
                seed(book.current(), book, limiter, new PeriodSpend(database), clock.now());
            } catch (RuntimeException e) {
                LOG.warn("could not put the budgets' spend back from the usage records: {}", e.toString());
            }
        };
        reloads.execute(seed);
        reloads.schedule(seed, RESEED_AGAIN_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * This instance changed limits, budgets or team membership in the database: reads them again
     * here, then tells the other instances.
     */
    void changed() {
        reload();
        changes.announce();
    }

    private static List<String> upstreamModels(Router router, String model) {
        List<Candidate> candidates = router.current().candidates(model);
        if (candidates.size() == 1) {
            return List.of(candidates.getFirst().upstreamModel());
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (Candidate candidate : candidates) {
            names.add(candidate.upstreamModel());
        }
        return List.copyOf(names);
    }

    static Map<String, DeclaredQuota> declared(GatewayConfig config) {
        Map<String, DeclaredQuota> declared = new HashMap<>();
        for (KeyConfig key : config.keys()) {
            declared.put(key.name(), declared(key));
        }
        return declared;
    }

    static DeclaredQuota declared(KeyConfig key) {
        KeyConfig.Limits l = key.limits();
        Optional<Budget> budget = key.budget().map(b -> Budget.usd(b.usd(), Period.parse(b.period()).orElseThrow()));
        return new DeclaredQuota(key.team(), new Limits(l.rpm(), l.tpm(), l.concurrent()), budget);
    }

    /**
     * Puts back what each budget's key(s) spent in the current period (from the usage table), so
     * that neither a restart nor a Redis that lost its data hands out a fresh budget.
     */
    static void seed(Quotas quotas, QuotaBook book, Limiter limiter, PeriodSpend spend, Instant now) {
        Map<Period, Map<Long, Long>> byPeriod = new EnumMap<>(Period.class);
        for (Quota quota : quotas.all()) {
            if (quota.budget().isEmpty()) {
                continue;
            }
            Period period = quota.budget().get().period();
            Map<Long, Long> byKey = byPeriod.computeIfAbsent(period, p -> spend.byKeySince(p.window(now).start()));
            long total = 0;
            for (Long key : quotas.keysOf(quota.level(), quota.id(), byKey.keySet())) {
                total += byKey.get(key);
            }
            if (total > 0) {
                limiter.seedSpend(quota, total);
                LOG.info("{} {}: {} spent this {} so far, by the usage records", quota.level().wire(), quota.name(),
                        Budget.shown(total), period.wire());
            }
        }
    }

    QuotaBook book() {
        return book;
    }

    Limiter limiter() {
        return limiter;
    }

    SoftThresholds soft() {
        return soft;
    }

    LimitCheck check() {
        return check;
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception ignored) {
            // nothing to release
        }
        reloads.shutdownNow();
    }

}
