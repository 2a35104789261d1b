package io.quasid.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.inject.Module;
import io.quasid.core.io.Json;
import io.quasid.core.pairs.SwingConfig;
import io.quasid.plugins.adasid.AdaSidConfig;
import io.quasid.plugins.quasid.QuaSidConfig;
import io.quasid.ranking.mahout.TasteConfig;
import io.quasid.ranking.sasrec.SasRecConfig;
import io.quasid.ranking.tiger.TigerConfig;
import io.quasid.rqvae.RqKMeansConfig;
import io.quasid.rqvae.RqVaeConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configs of a run after {@code --set scope.key=value} options, e.g. {@code --set rqvae.codes=512
 * --set rqvae.hidden=[256,128] --set quasid.m_full=0.7}. Keys are the configs' snake_case field names;
 * each changed config is validated as if built in code, and reaches the plugins as a Guice override.
 */
public final class ConfigOverrides {
    /** A config that can be overridden: its option prefix, its type and the defaults to start from. */
    record Scope<T>(String prefix, Class<T> type, T defaults) {}

    static final List<Scope<?>> SCOPES = List.of(
            new Scope<>("rqvae", RqVaeConfig.class, RqVaeConfig.DEFAULTS),
            new Scope<>("rqkmeans", RqKMeansConfig.class, RqKMeansConfig.DEFAULTS),
            new Scope<>("quasid", QuaSidConfig.class, QuaSidConfig.DEFAULTS),
            new Scope<>("adasid", AdaSidConfig.class, AdaSidConfig.DEFAULTS),
            new Scope<>("swing", SwingConfig.class, SwingConfig.DEFAULTS),
            new Scope<>("sasrec", SasRecConfig.class, SasRecConfig.DEFAULTS),
            new Scope<>("tiger", TigerConfig.class, TigerConfig.DEFAULTS),
            new Scope<>("mahout", TasteConfig.class, TasteConfig.DEFAULTS));

    private final Map<Class<?>, Object> changed;

    private ConfigOverrides(Map<Class<?>, Object> changed) {
        this.changed = changed;
    }

    /** Applies {@code settings}; fails naming an unknown scope or key, or a value out of range. */
    public static ConfigOverrides parse(Map<String, String> settings) {
        Map<String, ObjectNode> nodes = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey();
            int dot = key.indexOf('.');
            Scope<?> scope = dot < 0 ? null : scope(key.substring(0, dot));
            if (scope == null) {
                throw new IllegalArgumentException("--set " + key + ": unknown setting; use <scope>.<key> with a scope of "
                        + SCOPES.stream().map(Scope::prefix).toList());
            }
            ObjectNode node = nodes.computeIfAbsent(scope.prefix(), p -> Json.MAPPER.valueToTree(scope.defaults()));
            String field = key.substring(dot + 1);
            if (!node.has(field)) {
                List<String> fields = new ArrayList<>();
                node.fieldNames().forEachRemaining(fields::add);
                throw new IllegalArgumentException("--set " + key + ": '" + scope.prefix() + "' has no setting '" + field
                        + "'; its settings are " + fields);
            }
            node.set(field, parse(key, e.getValue()));
        }
        Map<Class<?>, Object> changed = new LinkedHashMap<>();
        nodes.forEach((prefix, node) -> {
            Scope<?> scope = scope(prefix);
            changed.put(scope.type(), read(scope, node));
        });
        return new ConfigOverrides(changed);
    }

    /** The config of {@code type}: as overridden, else its defaults. */
    public <T> T get(Class<T> type) {
        Object value = changed.get(type);
        if (value != null) {
            return type.cast(value);
        }
        return type.cast(SCOPES.stream().filter(s -> s.type() == type).findFirst().orElseThrow().defaults());
    }

    /** One Guice module binding each changed config, for the plugins' injectors. */
    public List<Module> modules() {
        List<Module> modules = new ArrayList<>();
        changed.forEach((type, value) -> modules.add(binder -> bind(binder, type, value)));
        return modules;
    }

    private static <T> void bind(com.google.inject.Binder binder, Class<T> type, Object value) {
        binder.bind(type).toInstance(type.cast(value));
    }

    private static <T> T read(Scope<T> scope, ObjectNode node) {
        try {
            return Json.MAPPER.treeToValue(node, scope.type());
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : null;
            String key = e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty() && m.getPath().get(0).getFieldName() != null
                    ? scope.prefix() + "." + m.getPath().get(0).getFieldName() : scope.prefix();
            throw new IllegalArgumentException("--set " + key + ": " + (cause != null ? cause.getMessage() : e.getOriginalMessage()), e);
        }
    }

    private static Scope<?> scope(String prefix) {
        return SCOPES.stream().filter(s -> s.prefix().equals(prefix)).findFirst().orElse(null);
    }

    /** A value as JSON (numbers, booleans, lists), else as text; a malformed list or object fails naming its key. */
    private static JsonNode parse(String key, String value) {
        try {
            return Json.MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            if (value.strip().startsWith("[") || value.strip().startsWith("{")) {
                throw new IllegalArgumentException("--set " + key + "=" + value + ": a malformed list: " + e.getOriginalMessage()
                        + "; write it as [a,b,...]", e);
            }
            return TextNode.valueOf(value);
        }
    }
}
