package io.quasid.ab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads a request body field by field, failing with a 400 that names the field and what it allows. A body
 * is one JSON value and nothing after it; strings are at most {@link #MAX_TEXT} characters; numbers that do
 * not fit their field are refused, never wrapped.
 */
final class JsonBody {
    static final ObjectMapper MAPPER = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    /** Longest string a field may hold (the event store's columns hold 200). */
    static final int MAX_TEXT = 200;
    /** Latest time a field may hold: 9999-12-31T23:59:59.999Z in epoch milliseconds. */
    static final long MAX_TIME = 253_402_300_799_999L;

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
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            String what = e.getOriginalMessage().startsWith("Trailing token") ? "trailing text after the JSON value" : e.getOriginalMessage();
            throw ApiException.badRequest("malformed JSON: " + what + where);
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
        if (v.asText().length() > MAX_TEXT) {
            throw ApiException.badRequest(name(field) + " has " + v.asText().length() + " characters: at most " + MAX_TEXT);
        }
        return v.asText();
    }

    int integer(String field, int fallback, int min, int max) {
        JsonNode v = value(field);
        if (v == null) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            throw ApiException.badRequest(name(field) + " = " + v + " is out of range: an integer in [" + min + ", " + max + "]");
        }
        return v.asInt();
    }

    /** A number in {@code [0, max]}, or null when absent. */
    Double number(String field, double max) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isNumber() || !(v.asDouble() >= 0 && v.asDouble() <= max)) {
            throw ApiException.badRequest(name(field) + " = " + v + " is out of range: a number >= 0 and <= " + max);
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

    /** An array of exactly {@code levels} integers, each in {@code [0, codes)}: a SID. */
    int[] sid(String field, int levels, int codes) {
        JsonNode v = value(field);
        String allowed = "an array of " + levels + " integers in [0, " + (codes - 1) + "]";
        if (v == null) {
            throw ApiException.badRequest(name(field) + " is required: " + allowed);
        }
        if (!v.isArray() || v.size() != levels) {
            throw ApiException.badRequest(name(field) + " = " + abbreviated(v) + " is not allowed: " + allowed);
        }
        int[] out = new int[levels];
        for (int l = 0; l < levels; l++) {
            JsonNode c = v.get(l);
            if (!c.isIntegralNumber() || !c.canConvertToInt() || c.asInt() < 0 || c.asInt() >= codes) {
                throw ApiException.badRequest(name(field) + "[" + l + "] = " + abbreviated(c) + " is out of range: an integer in [0, " + (codes - 1) + "]");
            }
            out[l] = c.asInt();
        }
        return out;
    }

    private static String abbreviated(JsonNode v) {
        String text = v.toString();
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    /**
     * Epoch milliseconds in {@code [0, MAX_TIME]} from an integer or an ISO-8601 instant; {@code fallback}
     * when absent.
     */
    long time(String field, long fallback) {
        JsonNode v = value(field);
        if (v == null) {
            return fallback;
        }
        long t;
        if (v.isIntegralNumber()) {
            t = v.canConvertToLong() ? v.asLong() : -1;
        } else {
            try {
                java.time.Instant instant = java.time.Instant.parse(v.asText());
                t = instant.isBefore(java.time.Instant.EPOCH) || instant.isAfter(java.time.Instant.ofEpochMilli(MAX_TIME)) ? -1 : instant.toEpochMilli();
            } catch (java.time.format.DateTimeParseException e) {
                throw ApiException.badRequest(name(field) + " = " + v + " is not a time: epoch milliseconds or an ISO-8601 instant");
            }
        }
        if (t < 0 || t > MAX_TIME) {
            throw ApiException.badRequest(name(field) + " = " + v + " is out of range: from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z"
                    + " (epoch milliseconds 0 to " + MAX_TIME + ")");
        }
        return t;
    }
}
