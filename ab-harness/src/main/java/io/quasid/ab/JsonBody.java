package io.quasid.ab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Reads a request body field by field, failing with a 400 that names the field and what it allows. */
final class JsonBody {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectNode node;
    private final String where;

    private JsonBody(ObjectNode node, String where) {
        this.node = node;
        this.where = where;
    }

    /** The body's JSON: an object, or (when {@code arrays}) an array of objects. */
    static List<JsonBody> parse(String body, boolean arrays, Set<String> fields) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr());
        }
        if (root == null || root.isMissingNode()) {
            throw ApiException.badRequest("the body is empty: a JSON object is required");
        }
        List<JsonBody> out = new ArrayList<>();
        if (arrays && root.isArray()) {
            if (root.isEmpty()) {
                throw ApiException.badRequest("the array is empty: send at least one object");
            }
            for (int i = 0; i < root.size(); i++) {
                out.add(object(root.get(i), "[" + i + "]", fields));
            }
        } else {
            out.add(object(root, "", fields));
        }
        return out;
    }

    private static JsonBody object(JsonNode n, String where, Set<String> fields) {
        if (!n.isObject()) {
            throw ApiException.badRequest("body" + where + " must be a JSON object");
        }
        for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw ApiException.badRequest("body" + where + ": unknown field '" + name + "'; allowed " + fields);
            }
        }
        return new JsonBody((ObjectNode) n, where);
    }

    private String name(String field) {
        return where.isEmpty() ? field : where + "." + field;
    }

    private JsonNode value(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    boolean has(String field) {
        return value(field) != null;
    }

    String text(String field) {
        JsonNode v = value(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw ApiException.badRequest(name(field) + " is required: a non-empty string");
        }
        return v.asText();
    }

    int integer(String field, int fallback, int min, int max) {
        JsonNode v = value(field);
        if (v == null) {
            return fallback;
        }
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw ApiException.badRequest(name(field) + " = " + v + " is out of range: an integer in [" + min + ", " + max + "]");
        }
        return v.asInt();
    }

    /** A number {@code >= 0}, or null when absent. */
    Double nonNegative(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble()) || v.asDouble() < 0) {
            throw ApiException.badRequest(name(field) + " = " + v + " is out of range: a finite number >= 0");
        }
        return v.asDouble();
    }

    /** An array of non-empty strings, or null when absent. */
    List<String> strings(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw ApiException.badRequest(name(field) + " must be an array of item ids");
        }
        List<String> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual() || v.get(i).asText().isEmpty()) {
                throw ApiException.badRequest(name(field) + "[" + i + "] must be a non-empty string");
            }
            out.add(v.get(i).asText());
        }
        return out;
    }

    /** Epoch milliseconds from a number or an ISO-8601 instant; {@code fallback} when absent. */
    long time(String field, long fallback) {
        JsonNode v = value(field);
        if (v == null) {
            return fallback;
        }
        if (v.isIntegralNumber() && v.asLong() >= 0) {
            return v.asLong();
        }
        try {
            return java.time.Instant.parse(v.asText()).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest(name(field) + " = " + v + " is not a time: epoch milliseconds or an ISO-8601 instant");
        }
    }
}
