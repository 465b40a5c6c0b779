package org.gequiv.io;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** JSON output through Jackson; non-finite doubles are written as strings ("NaN", "Infinity"), Jackson's default. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /** Pretty-printed JSON of {@code value}. */
    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Single-line JSON of {@code value}. */
    public static String toCompactJson(Object value) {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes {@code value} as JSON to {@code target} atomically. */
    public static void write(Path target, Object value) throws IOException {
        AtomicFiles.writeString(target, toJson(value) + "\n");
    }

    /** The shared mapper, for reading. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
