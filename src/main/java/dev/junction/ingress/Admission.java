package dev.junction.ingress;

import dev.junction.core.Clock;
import dev.junction.core.ErrorKind;
import dev.junction.core.GatewayException;
import dev.junction.core.RequestIds;
import dev.junction.core.TokenSource;
import dev.junction.core.TokenUsage;
import dev.junction.core.Units;
import dev.junction.protocol.ClientRequest;
import dev.junction.governance.GatewayKey;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.http.Exchange;
import dev.junction.ingress.AdmissionCheck.Hold;
import dev.junction.core.EndReason;
import dev.junction.relay.RelayResult;
import dev.junction.usage.RequestEnd;
import dev.junction.usage.RequestObserver;
import dev.junction.usage.UsageRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a request gets in, the same on every public route: <b>authenticate</b> (the gateway
 * key, 401) → <b>read</b> what it asks for (the body in the route's API, or the model in the path;
 * 400) → <b>allowed</b> (the key's allow-list, 403) → <b>exists</b> (some channel serves the model,
 * 404) → the {@link AdmissionCheck checks} (limits, budgets; each may reserve something). A refusal
 * reaches the client in its route's API shape (DESIGN.md §4) and, on model routes, is recorded in
 * usage like a served request.
 *
 * <p>Every request runs inside a {@link Ticket}, closed exactly once however the request ends
 * (answered, refused, relayed, crashed, client gone); closing settles every hold the checks took,
 * writes the usage row and tells the {@link RequestObserver} (metrics, the access log).
 */
final class Admission {

    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

    /** Whether a route's requests leave a usage row (model requests) or not (lookups and listings). */
    enum Recording {
        RECORDED,
        UNRECORDED
    }

    /** A route's work, given the exchange and its open ticket. */
    @FunctionalInterface
    interface Route {
        /**
         * Admits the request through {@code ticket}, then answers it and tells the ticket how.
         *
         * @throws GatewayException to refuse before anything was sent (answered in the route's shape)
         */
        void serve(Exchange exchange, Ticket ticket) throws Exception;
    }

    /** Reads what a request asks for: its body in the route's API, or the model in its path. */
    @FunctionalInterface
    interface Reader<R> {
        /**
         * @throws GatewayException 400 when the request is malformed, 404 when it names nothing known
         */
        R read(Exchange exchange);
    }

    private final Authenticator auth;
    private final ServedModels models;
    private final List<AdmissionCheck> checks;
    private final Consumer<UsageRecord> usage;
    private final Clock clock;
    private final RequestObserver observer;

    /**
     * @param usage where usage rows go (the batched writer's {@code record})
     */
    Admission(Authenticator auth, ServedModels models, List<AdmissionCheck> checks, Consumer<UsageRecord> usage,
            Clock clock) {
        this(auth, models, checks, usage, clock, RequestObserver.NONE);
    }

    /**
     * @param observer told of every request's end (metrics, the access log), recorded or not
     */
    Admission(Authenticator auth, ServedModels models, List<AdmissionCheck> checks, Consumer<UsageRecord> usage,
            Clock clock, RequestObserver observer) {
        this.auth = Objects.requireNonNull(auth, "auth");
        this.models = Objects.requireNonNull(models, "models");
        this.checks = List.copyOf(checks);
        this.usage = Objects.requireNonNull(usage, "usage");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * Serves one request with {@code route} inside a ticket: a {@link GatewayException} before
     * anything was sent is answered in {@code shape}; the ticket learns every other ending from the
     * exception that ends it (which is rethrown) and is closed last.
     */
    void serve(Exchange exchange, ErrorShape shape, Recording recording, Route route) throws Exception {
        Exchange checked = new CheckedQuery(exchange);
        try (Ticket ticket = open(checked, recording)) {
            try {
                route.serve(checked, ticket);
            } catch (GatewayException e) {
                if (checked.downstream().committed()) {
                    ticket.ended(new Outcome.Crashed(e));
                    throw e;
                }
                ticket.ended(new Outcome.Refused(e));
                shape.reply(checked.downstream(), e);
            } catch (ClientGoneException e) {
                ticket.ended(new Outcome.ClientGone());
                throw e;
            } catch (Exception | Error e) {
                ticket.ended(new Outcome.Crashed(e));
                throw e;
            }
        }
    }

    /** Opens the ticket of one request; close it (try-with-resources) when the request is over. */
    Ticket open(Exchange exchange, Recording recording) {
        return new Ticket(exchange, recording);
    }

    /**
     * One request's way through admission: what it was admitted as, what the checks hold for it,
     * and how it ended. Used by one request thread.
     */
    final class Ticket implements AutoCloseable {

        private final Exchange exchange;
        private final Recording recording;
        /** When the request arrived: the millisecond its id was made at (its row is found by the id through it). */
        private final Instant at;
        private final long start = clock.nanoTime();
        /** The routing-config version the request is routed under (read as it arrives). */
        private final Integer configVersion = models.configVersion();
        private final List<Hold> holds = new ArrayList<>(2);
        private GatewayKey key;
        private Subject subject;
        /** The request read, when it is one a channel serves (what it is billed by comes from it). */
        private ClientRequest request;
        private Outcome outcome;
        private long admittedNanos = -1;
        private boolean closed;

        private Ticket(Exchange exchange, Recording recording) {
            this.exchange = exchange;
            this.recording = recording;
            this.at = RequestIds.madeAt(exchange.requestId()).orElseGet(clock::now);
        }

        /**
         * Admits the request: authenticate → read → allowed → exists → checks, in that order.
         *
         * @param subject what the read request asks for
         * @return what {@code reader} read
         * @throws GatewayException the first refusal
         */
        <R> R admit(Reader<R> reader, Function<? super R, Subject> subject) {
            if (key != null) {
                throw new IllegalStateException("a request is admitted once");
            }
            key = auth.require(exchange);
            R read = reader.read(exchange);
            if (read instanceof ClientRequest served) {
                request = served;
            }
            Subject asked = Objects.requireNonNull(subject.apply(read), "subject");
            this.subject = asked;
            if (asked.model() != null) {
                if (!key.allows(asked.model())) {
                    throw GatewayException.of(ErrorKind.PERMISSION,
                            "The key '" + key.name() + "' may not use model '" + asked.model() + "'.");
                }
                if (asked.mustExist() && !models.serves(asked.model())) {
                    throw GatewayException.of(ErrorKind.NOT_FOUND, "The model '" + asked.model()
                            + "' does not exist here. The models list endpoint shows the models your key can use.");
                }
            }
            Admitted admitted = new Admitted(exchange, key, asked);
            for (AdmissionCheck check : checks) {
                holds.add(Objects.requireNonNull(check.admit(admitted), "an admission check returned no hold"));
            }
            admittedNanos = clock.nanoTime() - start;
            return read;
        }

        /** Admits a request for the key's list of models, which names none. */
        GatewayKey admitListing() {
            admit(e -> Subject.LISTING, s -> s);
            return key;
        }

        /** The admitted caller's key (after {@link #admit}). */
        GatewayKey key() {
            return Objects.requireNonNull(key, "not admitted");
        }

        /** The request was relayed; {@code result} is what the client got. */
        void relayed(RelayResult result) {
            ended(new Outcome.Relayed(result));
        }

        /** The gateway answered the request itself with {@code status}. */
        void answered(int status) {
            ended(new Outcome.Answered(status));
        }

        /** Records how the request ended; the first ending given wins. */
        void ended(Outcome ending) {
            if (outcome == null) {
                outcome = Objects.requireNonNull(ending, "ending");
            }
        }

        /** Settles every hold, last taken first, and writes the usage row; once, whatever happened. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            Outcome ending = outcome != null ? outcome
                    : new Outcome.Crashed(new IllegalStateException("the route set no outcome"));
            if (ending instanceof Outcome.Relayed relayed) {
                ending = new Outcome.Relayed(relayed.result(), units(relayed.result()));
            }
            for (int i = holds.size() - 1; i >= 0; i--) {
                try {
                    holds.get(i).settle(ending);
                } catch (RuntimeException e) {
                    LOG.error("{} settling an admission hold failed", exchange.requestId(), e);
                }
            }
            UsageRecord row = recording == Recording.RECORDED ? record(ending) : null;
            observe(ending, row);
        }

        /** The usage row of the request, queued for the writer; made in one piece (user and team: the writer's). */
        private UsageRecord record(Outcome ending) {
            if (ending instanceof Outcome.Answered) {
                return null; // a local answer (token estimate) spends nothing
            }
            String keyName = key == null ? null : key.name();
            String model = subject == null ? null : subject.model();
            boolean stream = subject != null && subject.stream();
            long millis = TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - start);
            UsageRecord row;
            if (ending instanceof Outcome.Relayed relayed) {
                RelayResult result = relayed.result();
                String path = exchange.path();
                // user and team: the writer fills them from the key's owner (UsageWriter), in its batch
                row = new UsageRecord(exchange.requestId(), at, keyName, model, result.channel(),
                        result.upstreamModel(), result.status(), result.usage(), millis, result.firstByteMillis(),
                        stream, result.attempts(), result.end(), keyId(),
                        result.channel() == null ? null : models.channelId(result.channel()).orElse(null), null,
                        ClientApis.of(path), result.tokenSource(), clientIp(), null, null, configVersion,
                        ClientApis.endpoint(path), relayed.units());
            } else {
                row = unserved(keyName, model, ending.status(), millis, stream, endReason(ending));
            }
            usage.accept(row);
            return row;
        }

        /** How {@code ending} ends the request's row ({@link EndReason#DONE} for a local answer). */
        private static EndReason endReason(Outcome ending) {
            return switch (ending) {
                case Outcome.Relayed relayed -> relayed.result().end();
                case Outcome.Refused _ -> EndReason.REJECTED;
                case Outcome.ClientGone _ -> EndReason.CLIENT_GONE;
                case Outcome.Crashed _ -> EndReason.FAILED;
                case Outcome.Answered _ -> EndReason.DONE;
            };
        }

        /** What a relayed request is billed by: its request's units, or its tokens. */
        private Units units(RelayResult result) {
            if (request == null) {
                return Units.tokens(result.usage());
            }
            boolean delivered = result.status() / 100 == 2 || result.channel() != null && result.firstByteMillis() >= 0;
            try {
                return request.units(result.usage(), delivered);
            } catch (RuntimeException e) {
                LOG.error("{} reading what the request is billed by failed", exchange.requestId(), e);
                return Units.tokens(result.usage());
            }
        }

        /** Tells the observer how the request ended, with the row written (or one made like it). */
        private void observe(Outcome ending, UsageRecord written) {
            if (observer == RequestObserver.NONE) {
                return;
            }
            long elapsed = clock.nanoTime() - start;
            UsageRecord row = written;
            if (row == null) {
                row = unserved(key == null ? null : key.name(), subject == null ? null : subject.model(),
                        ending.status(), TimeUnit.NANOSECONDS.toMillis(elapsed), subject != null && subject.stream(),
                        endReason(ending));
            }
            ErrorKind refusal = switch (ending) {
                case Outcome.Refused refused -> refused.error().kind();
                case Outcome.Crashed _ -> ErrorKind.INTERNAL;
                default -> null;
            };
            try {
                observer.onEnd(new RequestEnd(row, exchange.method(), exchange.path(), exchange.remoteAddress(),
                        refusal, admittedNanos, elapsed));
            } catch (RuntimeException e) {
                LOG.error("{} observing the end of the request failed", exchange.requestId(), e);
            }
        }

        /** The row of a request that reached no provider (or one observed without a row of its own). */
        private UsageRecord unserved(String keyName, String model, int status, long millis, boolean stream,
                EndReason end) {
            String path = exchange.path();
            return new UsageRecord(exchange.requestId(), at, keyName, model, null, null, status, TokenUsage.NONE,
                    millis, -1, stream, List.of(), end, keyId(), null, null, ClientApis.of(path), TokenSource.NONE,
                    clientIp(), null, null, configVersion, ClientApis.endpoint(path),
                    Units.none(ClientApis.unit(path)));
        }

        /** The connected peer's address for the usage row, null when unknown. */
        private String clientIp() {
            String address = exchange.remoteAddress();
            return address == null || address.isEmpty() ? null : address;
        }

        /** The key's stable id for the usage row (its name is only the label). */
        private Long keyId() {
            return key == null ? null : key.id();
        }
    }
}
