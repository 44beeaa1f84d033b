package dev.junction.state;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A {@link StateKey} as one token without spaces or colons ({@code channel/key/model}, the names
 * percent-encoded), for Redis key names and announcements, and back.
 */
final class Subjects {

    private Subjects() {
    }

    static String encode(StateKey subject) {
        return subject.channel() + "/" + escape(subject.key()) + "/" + escape(subject.model());
    }

    static StateKey decode(String token) {
        String[] parts = token.split("/", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a subject: " + token);
        }
        return new StateKey(Long.parseLong(parts[0]), unescape(parts[1]), unescape(parts[2]));
    }

    static String escape(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("*", "%2A");
    }

    static String unescape(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
