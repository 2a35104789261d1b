package io.quasid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class TestSettingsCommand {
    @Test
    void listsTheHostsAndEachPluginsSettingsWithValueAndHelp() {
        Cli cli = Cli.run("settings");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("host\n  swing.alpha = 1.0").contains("sasrec.features = sid")
                .contains("plugin quasid ").containsPattern("quasid.m_full = 0.8 +margin of the full-collision tier")
                .contains("plugin rqvae ").contains("simvq.kmeans_init = false").contains("rqvae-rotation.epochs = 200")
                .contains("adasid.q = [0.9, 0.97, 0.995]");
    }

    @Test
    void showsTheSettingsAsSetMakesThemAndRefusesABadOne() {
        assertThat(Cli.run("settings", "--set", "quasid.m_full=0.7", "--set", "sasrec.dim=32").out())
                .contains("quasid.m_full = 0.7").contains("sasrec.dim = 32");
        Cli bad = Cli.run("settings", "--set", "quasid.m_full=7");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("plugin 'quasid': m_full = 7.0 is out of range");
        Cli together = Cli.run("settings", "--set", "simvq.kmeans_init=true");
        assertThat(together.exitCode()).as("settings that do not go together").isEqualTo(2);
        assertThat(together.err()).contains("plugin 'rqvae': simvq: kmeans_init and reseed_dead_codes must be false");
    }
}
