package dev.junction.ingress;

import dev.junction.protocol.ClientRequest;
import java.util.Objects;

/**
 * What a request asks for, as {@link Admission} checks it.
 *
 * @param model the public model it names, or null for a listing
 * @param request the model request for a provider, or null when the gateway answers itself
 * @param kind what sort of request this is
 */
record Subject(String model, ClientRequest request, Kind kind) {

    /** The sorts of requests the public routes serve. */
    public enum Kind {
        /** A model request a channel will serve (or the gateway estimates, for token counts). */
        MODEL_REQUEST,
        /** {@code GET} of one model: allowed and known, like a model request. */
        MODEL_LOOKUP,
        /** An answer kept here ({@code GET /v1/responses/{id}}): allowed, though the model may have left. */
        KEPT_ANSWER,
        /** A list of the key's models: no model to check. */
        LISTING
    }

    static final Subject LISTING = new Subject(null, null, Kind.LISTING);

    static Subject of(ClientRequest request) {
        return new Subject(request.model(), request, Kind.MODEL_REQUEST);
    }

    static Subject lookup(String model) {
        return new Subject(Objects.requireNonNull(model, "model"), null, Kind.MODEL_LOOKUP);
    }

    static Subject kept(String model) {
        return new Subject(Objects.requireNonNull(model, "model"), null, Kind.KEPT_ANSWER);
    }

    /** Whether the model must be one some channel serves now (404 otherwise). */
    boolean mustExist() {
        return kind == Kind.MODEL_REQUEST || kind == Kind.MODEL_LOOKUP;
    }

    boolean stream() {
        return request != null && request.stream();
    }
}
