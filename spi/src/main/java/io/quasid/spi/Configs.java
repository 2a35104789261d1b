package io.quasid.spi;

/** The value of each config scope a plugin owns, as the host's {@code scope.key=value} settings made it. */
@FunctionalInterface
public interface Configs {
    /** The config of {@code scope}: its defaults with the host's settings applied. */
    <T extends Record> T get(ConfigScope<T> scope);

    /** Every scope at its defaults. */
    static Configs defaults() {
        return ConfigScope::defaults;
    }
}
