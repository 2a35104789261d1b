package io.quasid.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.inject.Module;
import io.quasid.core.io.Json;
import io.quasid.rqvae.RqKMeansConfig;
import io.quasid.rqvae.RqVaeConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns {@code --set scope.key=value} options into Guice modules that override the bound configs, e.g.
 * {@code --set rqvae.codes=512 --set rqvae.hidden=[256,128]}. Keys are the configs' JSON field names;
 * each resulting config is validated as if built in code.
 */
final class ConfigOverrides {
    /** A config that can be overridden: its option prefix, its type and the defaults to start from. */
    record Scope<T>(String prefix, Class<T> type, T defaults) {}

    static final List<Scope<?>> SCOPES = List.of(
            new Scope<>("rqvae", RqVaeConfig.class, RqVaeConfig.DEFAULTS),
            new Scope<>("rqkmeans", RqKMeansConfig.class, RqKMeansConfig.DEFAULTS));

    private ConfigOverrides() {}

    /** One module per overridden scope; fails naming an unknown scope or key, or a value out of range. */
    static List<Module> modules(Map<String, String> settings) {
        Map<String, ObjectNode> changed = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey();
            int dot = key.indexOf('.');
            Scope<?> scope = dot < 0 ? null : scope(key.substring(0, dot));
            if (scope == null) {
                throw new IllegalArgumentException("--set " + key + ": unknown setting; use <scope>.<key> with a scope of "
                        + SCOPES.stream().map(Scope::prefix).toList());
            }
            ObjectNode node = changed.computeIfAbsent(scope.prefix(), p -> Json.MAPPER.valueToTree(scope.defaults()));
            String field = key.substring(dot + 1);
            if (!node.has(field)) {
                List<String> fields = new ArrayList<>();
                node.fieldNames().forEachRemaining(fields::add);
                throw new IllegalArgumentException("--set " + key + ": '" + scope.prefix() + "' has no setting '" + field + "'; its settings are " + fields);
            }
            node.set(field, parse(e.getValue()));
        }
        List<Module> modules = new ArrayList<>();
        changed.forEach((prefix, node) -> modules.add(module(scope(prefix), node)));
        return modules;
    }

    private static <T> Module module(Scope<T> scope, ObjectNode node) {
        T config;
        try {
            config = Json.MAPPER.treeToValue(node, scope.type());
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            throw new IllegalArgumentException("--set " + scope.prefix() + ": " + (cause == e ? e.getOriginalMessage() : cause.getMessage()), e);
        }
        return binder -> binder.bind(scope.type()).toInstance(config);
    }

    private static Scope<?> scope(String prefix) {
        return SCOPES.stream().filter(s -> s.prefix().equals(prefix)).findFirst().orElse(null);
    }

    private static JsonNode parse(String value) {
        try {
            return Json.MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(value);
        }
    }
}
