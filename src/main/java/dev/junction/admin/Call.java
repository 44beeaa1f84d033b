package dev.junction.admin;

import dev.junction.governance.Action;
import dev.junction.governance.Principal;
import dev.junction.governance.Target;
import dev.junction.http.Exchange;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One admin API request as a handler sees it: path parameters, body, client and caller. */
final class Call {

    private final Exchange exchange;
    private final Map<String, String> params;
    private final Client client;
    private final Caller caller;

    Call(Exchange exchange, Map<String, String> params, Client client, Caller caller) {
        this.exchange = exchange;
        this.params = Map.copyOf(params);
        this.client = client;
        this.caller = caller;
    }

    /** The authenticated caller (every route but the open ones has one). */
    Caller caller() {
        if (caller == null) {
            throw new IllegalStateException("an open route has no caller");
        }
        return caller;
    }

    Principal principal() {
        return caller().principal();
    }

    /** 403 unless the caller may do {@code action} to {@code target}. */
    void require(Action action, Target target) {
        if (!principal().can(action, target)) {
            throw ApiException.forbidden("forbidden", "Your role (" + principal().role().wire()
                    + ") does not allow this.");
        }
    }

    Client client() {
        return client;
    }

    Exchange exchange() {
        return exchange;
    }

    /** A numeric path parameter; 404 when it is not a number. */
    long id(String name) {
        try {
            long id = Long.parseLong(params.get(name));
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // Not a number: nothing has that id.
        }
        throw ApiException.notFound("There is no such " + name.replace("_id", "").replace("id", "item") + ".");
    }

    /** A text path parameter. */
    String param(String name) {
        return params.get(name);
    }

    Optional<String> query(String name) {
        return exchange.query(name);
    }

    /** The JSON body; 415 when it is not declared as JSON, 400 when it is not a valid object of {@code allowed} fields. */
    Body body(Set<String> allowed) {
        byte[] bytes = exchange.body();
        boolean json = exchange.header("Content-Type")
                .map(t -> t.toLowerCase(Locale.ROOT).startsWith("application/json")).orElse(false);
        if (!json && bytes.length > 0) {
            throw ApiException.unsupportedMediaType();
        }
        return Body.parse(bytes, allowed);
    }

    /**
     * The JSON body as an object, its fields left to the caller to check (a config binder reports
     * unknown ones itself); 415 and 400 as {@link #body}.
     */
    tools.jackson.databind.node.ObjectNode object() {
        return (tools.jackson.databind.node.ObjectNode) body(null).json();
    }
}
