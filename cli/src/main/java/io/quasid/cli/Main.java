package io.quasid.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code quasid} command. Bad input exits with 2 and a one-line message; other failures with 1
 * ({@code -Dquasid.debug=true} adds the stack trace).
 */
@Command(name = "quasid", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Collision-aware Semantic IDs for recommenders.",
        subcommands = {RunCommand.class, EmbedCommand.class, TokenizeCommand.class, StatsCommand.class, EvaluateCommand.class, ServeCommand.class, ReplayCommand.class,
                AssignCommand.class, SettingsCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        io.quasid.core.NativeMemory.tune();
        System.exit(run(args));
    }

    /** Runs the command line on the standard streams and returns the exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line, printing results to {@code out} and messages to {@code err}; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main()).setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (Boolean.getBoolean("quasid.debug")) {
                e.printStackTrace(commandLine.getErr());
            }
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("quasid: " + e.getMessage());
                return 2;
            }
            if (e instanceof UncheckedIOException || e instanceof IllegalStateException || e instanceof RunCommand.StageFailed) {
                commandLine.getErr().println("quasid: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"quasid " + (v == null ? "dev" : v)};
        }
    }
}
