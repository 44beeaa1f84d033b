package dev.junction.store;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Stored Responses API answers, so a client can continue a conversation with
 * {@code previous_response_id} or fetch an answer again. Rows hold JSON text the ingress wrote;
 * this class never reads it. Rows older than the retention period are deleted on write, so the
 * table never grows past what that period brings in.
 */
public final class ResponseStore {

    /** How long answers are kept when the config says nothing. */
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);

    private static final long PRUNE_EVERY_MILLIS = 60_000;

    /**
     * One stored answer.
     *
     * @param id the response id ({@code resp_…})
     * @param createdMillis when it was created
     * @param model the public model
     * @param input the conversation's input items up to this answer, as a JSON array
     * @param response the response object, as JSON
     */
    public record Stored(String id, long createdMillis, String model, String input, String response) {
        public Stored {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(response, "response");
        }
    }

    private final Database database;
    private final Duration retention;
    private volatile long lastPrune;

    public ResponseStore(Database database, Duration retention) {
        this.database = Objects.requireNonNull(database, "database");
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    /** Saves an answer (replacing one of the same id), and prunes expired ones now and then. */
    public void save(Stored stored, long nowMillis) {
        database.call(jdbi -> jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM responses WHERE id = :id").bind("id", stored.id()).execute();
            return h.createUpdate("INSERT INTO responses (id, created_at, model, input, response) "
                    + "VALUES (:id, :created, :model, :input, :response)")
                    .bind("id", stored.id()).bind("created", stored.createdMillis()).bind("model", stored.model())
                    .bind("input", stored.input()).bind("response", stored.response()).execute();
        }));
        if (nowMillis - lastPrune >= PRUNE_EVERY_MILLIS) {
            lastPrune = nowMillis;
            prune(nowMillis);
        }
    }

    /** The answer with this id, unless unknown or expired. */
    public Optional<Stored> find(String id, long nowMillis) {
        long oldest = nowMillis - retention.toMillis();
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery(
                "SELECT id, created_at, model, input, response FROM responses WHERE id = :id AND created_at >= :oldest")
                .bind("id", id).bind("oldest", oldest)
                .map((rs, ctx) -> new Stored(rs.getString("id"), rs.getLong("created_at"), rs.getString("model"),
                        rs.getString("input"), rs.getString("response")))
                .findOne()));
    }

    /** Deletes answers older than the retention period; returns how many. */
    public int prune(long nowMillis) {
        long oldest = nowMillis - retention.toMillis();
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate(
                "DELETE FROM responses WHERE created_at < :oldest").bind("oldest", oldest).execute()));
    }
}
