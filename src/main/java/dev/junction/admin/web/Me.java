package dev.junction.admin.web;

import tools.jackson.databind.JsonNode;

/**
 * Who is signed in, as {@code GET /api/me} says, with the session's CSRF token that every form of
 * the page carries.
 */
record Me(long id, String name, String role, String csrf) {

    static Me of(JsonNode me) {
        JsonNode user = me.path("user");
        return new Me(user.path("id").asLong(), user.path("name").asString(), user.path("role").asString(),
                me.path("csrf_token").asString(""));
    }

    boolean owner() {
        return role.equals("owner");
    }

    /** Owners and admins manage; members and viewers do not. */
    boolean manages() {
        return role.equals("owner") || role.equals("admin");
    }

    /** Owners, admins and viewers see everything; members see their own things. */
    boolean seesAll() {
        return !role.equals("member");
    }
}
