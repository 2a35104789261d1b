package io.quasid.cli.architecture;

import io.quasid.plugins.quasid.QuaSidConfig;

/** Breaks the rule "cli imports no plugin" on purpose, so that {@code TestArchitecture} shows the rule can fail. */
public final class ImportsAPlugin {
    private ImportsAPlugin() {}

    public static double margin() {
        return QuaSidConfig.DEFAULTS.mFull();
    }
}
