package dev.junction.protocol.responses;

import java.util.Optional;

/**
 * Where Responses API answers are kept for {@code previous_response_id} and
 * {@code GET /v1/responses/{id}}. The ingress backs it with the database; this package only
 * reads and writes JSON text through it.
 */
public interface ResponseLog {

    /**
     * One kept answer.
     *
     * @param id the response id
     * @param model the public model
     * @param input the conversation's input items up to this answer, as a JSON array
     * @param response the response object, as JSON
     */
    record Entry(String id, String model, String input, String response) {
    }

    /** The answer with this id, unless unknown or expired. */
    Optional<Entry> find(String id);

    /** Keeps an answer. */
    void save(Entry entry);

    /** A log that keeps nothing. */
    ResponseLog NONE = new ResponseLog() {
        @Override
        public Optional<Entry> find(String id) {
            return Optional.empty();
        }

        @Override
        public void save(Entry entry) {
        }
    };
}
