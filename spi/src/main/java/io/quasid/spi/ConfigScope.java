package io.quasid.spi;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings one owner (a plugin, or the host) keeps under a prefix, e.g. {@code quasid.m_full=0.7}: an
 * immutable config record, its defaults, and a line of help per key ({@link Setting} on the component). A
 * key is the snake_case name of a record component ({@code mFull} is {@code m_full}). {@link #parse} reads
 * text values by the component's type (numbers, booleans, text, enums, lists as {@code [a,b]}) and builds
 * the record through its canonical constructor, so the record's own checks validate the result.
 */
public final class ConfigScope<T extends Record> {
    private final String prefix;
    private final Class<T> type;
    private final T defaults;
    private final RecordComponent[] components;
    private final List<String> keys;

    private ConfigScope(String prefix, Class<T> type, T defaults) {
        this.prefix = Settings.name("config prefix", prefix);
        this.type = type;
        this.defaults = type.cast(defaults);
        this.components = type.getRecordComponents();
        this.keys = Arrays.stream(components).map(c -> key(c.getName())).toList();
    }

    /** The scope {@code prefix} of config record {@code type}, starting from {@code defaults}. */
    public static <T extends Record> ConfigScope<T> of(String prefix, Class<T> type, T defaults) {
        return new ConfigScope<>(prefix, type, defaults);
    }

    public String prefix() {
        return prefix;
    }

    public Class<T> type() {
        return type;
    }

    public T defaults() {
        return defaults;
    }

    /** The keys, in the record's order. */
    public List<String> keys() {
        return keys;
    }

    /** The help text of each key ({@link Setting} on its component; empty where there is none), in the record's order. */
    public Map<String, String> help() {
        Map<String, String> help = new LinkedHashMap<>();
        for (int i = 0; i < components.length; i++) {
            Setting s = components[i].getAnnotation(Setting.class);
            help.put(keys.get(i), s == null ? "" : s.value());
        }
        return help;
    }

    /** The values of {@code config} by key, in the record's order (lists and arrays as lists). */
    public Map<String, Object> values(T config) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < components.length; i++) {
            Object v = read(components[i], config);
            values.put(keys.get(i), v != null && v.getClass().isArray() ? asList(v) : v);
        }
        return values;
    }

    /**
     * The defaults with {@code settings} (key without the prefix: text value) applied. Fails with an
     * {@link IllegalArgumentException} naming {@code prefix.key} for an unknown key (listing the known ones),
     * a value of the wrong type, or one the record rejects.
     */
    public T parse(Map<String, String> settings) {
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            args[i] = read(components[i], defaults);
        }
        for (Map.Entry<String, String> e : settings.entrySet()) {
            int i = keys.indexOf(e.getKey());
            if (i < 0) {
                throw new IllegalArgumentException("'" + prefix + "' has no setting '" + e.getKey() + "'; its settings are " + keys);
            }
            args[i] = value(components[i].getGenericType(), e.getValue(), prefix + "." + e.getKey());
        }
        try {
            Constructor<T> canonical = type.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            canonical.setAccessible(true);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw new IllegalArgumentException(bad.getMessage(), bad);
            }
            throw new IllegalStateException("config " + type.getName() + " failed to build: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("config " + type.getName() + " cannot be built from its components: " + e, e);
        }
    }

    /** {@code mFull} as {@code m_full}: an underscore before each upper-case letter, all lower case. */
    static String key(String component) {
        StringBuilder b = new StringBuilder();
        for (char c : component.toCharArray()) {
            if (Character.isUpperCase(c)) {
                b.append('_').append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static Object read(RecordComponent component, Object record) {
        try {
            Method accessor = component.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component + ": " + e, e);
        }
    }

    private static List<Object> asList(Object array) {
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < Array.getLength(array); i++) {
            list.add(Array.get(array, i));
        }
        return list;
    }

    /** {@code text} as a value of {@code type}, for the setting {@code key}. */
    private static Object value(Type type, String text, String key) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        String t = text.strip();
        if (raw == List.class) {
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            return elements(t, key).stream().map(e -> value(element, e, key)).toList();
        }
        if (raw.isArray()) {
            List<String> items = elements(t, key);
            Object array = Array.newInstance(raw.getComponentType(), items.size());
            for (int i = 0; i < items.size(); i++) {
                Array.set(array, i, value(raw.getComponentType(), items.get(i), key));
            }
            return array;
        }
        try {
            if (raw == int.class || raw == Integer.class) {
                return Integer.parseInt(t);
            }
            if (raw == long.class || raw == Long.class) {
                return Long.parseLong(t);
            }
            if (raw == double.class || raw == Double.class) {
                return Double.parseDouble(t);
            }
            if (raw == float.class || raw == Float.class) {
                return Float.parseFloat(t);
            }
        } catch (NumberFormatException e) {
            boolean real = raw == double.class || raw == Double.class || raw == float.class || raw == Float.class;
            throw new IllegalArgumentException(key + " = " + text + " is not " + (real ? "a number" : "an integer (of " + raw.getSimpleName()
                    + " range)"), e);
        }
        if (raw == boolean.class || raw == Boolean.class) {
            if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(t);
            }
            throw new IllegalArgumentException(key + " = " + text + " is not a boolean: use true or false");
        }
        if (raw == String.class) {
            return text;
        }
        if (raw.isEnum()) {
            return constant(raw, t, key);
        }
        throw new IllegalStateException(key + ": settings of type " + type.getTypeName() + " cannot be read from text");
    }

    /** An enum constant: by the enum's static {@code of(String)} if it has one (its own labels), else by name, any case. */
    private static Object constant(Class<?> type, String text, String key) {
        try {
            Method of = type.getMethod("of", String.class);
            if (Modifier.isStatic(of.getModifiers()) && of.getReturnType() == type) {
                try {
                    return of.invoke(null, text);
                } catch (InvocationTargetException e) {
                    throw new IllegalArgumentException(key + " = " + text + ": " + e.getCause().getMessage(), e.getCause());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        } catch (NoSuchMethodException e) {
            // by name below
        }
        for (Object c : type.getEnumConstants()) {
            if (((Enum<?>) c).name().equalsIgnoreCase(text)) {
                return c;
            }
        }
        throw new IllegalArgumentException(key + " = " + text + " is not allowed: choose one of "
                + Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name().toLowerCase(java.util.Locale.ROOT)).toList());
    }

    /** The elements of a list written {@code [a,b]} (or {@code a,b}); {@code []} is empty. */
    private static List<String> elements(String text, String key) {
        String inner = text;
        if (text.startsWith("[") || text.endsWith("]")) {
            if (!(text.startsWith("[") && text.endsWith("]"))) {
                throw new IllegalArgumentException(key + " = " + text + " is a malformed list: write it as [a,b,...]");
            }
            inner = text.substring(1, text.length() - 1);
        }
        if (inner.isBlank()) {
            return List.of();
        }
        return Arrays.stream(inner.split(",", -1)).map(String::strip).toList();
    }

    @Override
    public String toString() {
        return prefix + " (" + type.getName() + ")";
    }
}
