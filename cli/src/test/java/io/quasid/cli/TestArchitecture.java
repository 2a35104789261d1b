package io.quasid.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.quasid.cli.architecture.ImportsAPlugin;
import org.junit.jupiter.api.Test;

/**
 * The module rules of ARCHITECTURE.md, checked on the compiled classes: plugins depend on {@code spi} only,
 * tokenizer adapters on {@code spi} and {@code core} only, and {@code cli} imports no plugin or tokenizer.
 */
final class TestArchitecture {
    private static final JavaClasses MAIN = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.quasid");

    /** What any module may use besides the project's own packages. */
    private static final String[] LIBRARIES = {"java..", "javax..", "ai.djl..", "com.google.inject..", "com.google.common..",
            "jakarta.inject..", "org.slf4j.."};

    private static String[] with(String... packages) {
        String[] all = new String[LIBRARIES.length + packages.length];
        System.arraycopy(LIBRARIES, 0, all, 0, LIBRARIES.length);
        System.arraycopy(packages, 0, all, LIBRARIES.length, packages.length);
        return all;
    }

    static final ArchRule PLUGINS_SEE_SPI_ONLY = classes().that().resideInAPackage("io.quasid.plugins..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(with("io.quasid.plugins..", "io.quasid.spi.."));

    static final ArchRule TOKENIZERS_SEE_SPI_AND_CORE_ONLY = classes().that().resideInAPackage("io.quasid.rqvae..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(with("io.quasid.rqvae..", "io.quasid.spi..", "io.quasid.core..",
                    "com.fasterxml.jackson.."));

    static final ArchRule CLI_IMPORTS_NO_PLUGIN = noClasses().that().resideInAPackage("io.quasid.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("io.quasid.plugins..", "io.quasid.rqvae..");

    @Test
    void pluginsDependOnTheSpiOnly() {
        assertThat(MAIN.that(com.tngtech.archunit.base.DescribedPredicate.describe("plugin", c -> c.getPackageName().startsWith("io.quasid.plugins"))))
                .as("the plugins' classes are on the test classpath").isNotEmpty();
        PLUGINS_SEE_SPI_ONLY.check(MAIN);
    }

    @Test
    void tokenizerAdaptersDependOnSpiAndCoreOnly() {
        TOKENIZERS_SEE_SPI_AND_CORE_ONLY.check(MAIN);
    }

    @Test
    void cliImportsNoPluginOrTokenizer() {
        CLI_IMPORTS_NO_PLUGIN.check(MAIN);
    }

    @Test
    void theRuleCatchesACliClassThatImportsAPlugin() {
        JavaClasses offender = new ClassFileImporter().importClasses(ImportsAPlugin.class);
        assertThat(CLI_IMPORTS_NO_PLUGIN.evaluate(offender).hasViolation()).isTrue();
    }
}
