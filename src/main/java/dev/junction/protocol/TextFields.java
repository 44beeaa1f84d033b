package dev.junction.protocol;

import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads the text a stream event delivers: every string value of the named fields, in one
 * streaming pass over the event's JSON without building a tree. Which fields hold text is each
 * provider's business ({@link PassThrough.StreamScanner#textFields()}).
 */
final class TextFields {

    private static final JsonFactory FACTORY = new JsonFactory();

    private TextFields() {
    }

    /** Adds to {@code tally} the string values of {@code fields} anywhere in {@code json}; unreadable JSON adds nothing more. */
    public static void collect(byte[] json, Set<String> fields, TextTally tally) {
        if (fields.isEmpty() || json.length == 0) {
            return;
        }
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            String name = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.PROPERTY_NAME) {
                    name = p.currentName();
                } else if (t == JsonToken.VALUE_STRING && name != null && fields.contains(name)) {
                    tally.add(p.getString());
                    name = null;
                } else if (t.isScalarValue()) {
                    name = null;
                }
            }
        } catch (RuntimeException e) {
            // A malformed event: the scanner reports it; what was read before it is counted.
        }
    }
}
