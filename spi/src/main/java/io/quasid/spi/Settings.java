package io.quasid.spi;

import java.util.Collection;

/** Validation helpers for immutable configs: each failure names the field and the allowed range. */
public final class Settings {
    private Settings() {}

    /** Returns {@code value} if {@code min <= value <= max}, else fails naming the field and range. */
    public static double inRange(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(field + " = " + value + " is out of range: allowed [" + min + ", " + max + "]");
        }
        return value;
    }

    /** Returns {@code value} if {@code min <= value <= max}, else fails naming the field and range. */
    public static int inRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " = " + value + " is out of range: allowed [" + min + ", " + max + "]");
        }
        return value;
    }

    /** Returns {@code value} if it is at least {@code min}, else fails naming the field. */
    public static long atLeast(String field, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " = " + value + " is out of range: allowed [" + min + ", " + Long.MAX_VALUE + "]");
        }
        return value;
    }

    /** Returns {@code value} if it is one of {@code allowed}, else fails listing them. */
    public static <T> T oneOf(String field, T value, Collection<T> allowed) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(field + " = " + value + " is not allowed: choose one of " + allowed);
        }
        return value;
    }

    /**
     * The constant of {@code type} whose name in lower case is {@code key} (the form settings and files spell it in),
     * else fails naming the field and listing the keys.
     */
    public static <E extends Enum<E>> E key(String field, Class<E> type, String key) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (E e : type.getEnumConstants()) {
            String k = e.name().toLowerCase(java.util.Locale.ROOT);
            if (k.equals(key)) {
                return e;
            }
            keys.add(k);
        }
        throw new IllegalArgumentException(field + " = " + key + " is not allowed: choose one of " + keys);
    }

    /** Returns {@code name} if it is a valid extension name (lower case, digits, '.', '-', '_'; starts with a letter). */
    public static String name(String field, String name) {
        if (name == null || !name.matches("[a-z][a-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException(field + " '" + name + "' is not a valid name: use 1-64 characters of"
                    + " a-z, 0-9, '.', '-', '_', starting with a letter");
        }
        return name;
    }
}
