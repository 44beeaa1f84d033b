package dev.junction.protocol.openai;

import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/** The shared, immutable Jackson instances of this package. */
final class Json {

    static final JsonFactory FACTORY = JsonFactory.builder().build();
    static final JsonMapper MAPPER = JsonMapper.builder(FACTORY).build();

    private Json() {
    }

    static JsonParser parser(byte[] bytes, int offset, int length) {
        return FACTORY.createParser(ObjectReadContext.empty(), bytes, offset, length);
    }
}
