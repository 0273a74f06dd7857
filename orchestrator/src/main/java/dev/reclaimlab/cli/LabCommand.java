package dev.reclaimlab.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lab}: reproduce memory-reclaim storms on test hosts and find what causes them. */
@Command(name = "lab", mixinStandardHelpOptions = true, versionProvider = LabCommand.Version.class,
        description = "Reproduce memory-reclaim storms on Linux test hosts and find what causes them.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:ok, hosts left as found",
                "1:a step or workload failed, or a host was unreachable",
                "2:bad plan, inventory or command line (nothing touched)",
                "3:a host lacks what the plan needs (nothing changed)",
                "4:teardown incomplete: run `lab cleanup --host H`",
                "130:interrupted; hosts torn down"})
public final class LabCommand implements Runnable {
    /**
     * The subcommands, in the order help lists them. They are not in the annotation: picocli would build every one of
     * them (and load what their options name) on every start, though a command line runs one; see {@link #cli}.
     */
    static final List<String> SUBCOMMANDS = List.of("run", "plan", "validate", "cleanup", "boot", "bisect", "nightly",
            "baseline", "history", "analyze", "profile", "report", "compare", "vm", "help");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (StartupTraining.requested()) {
            StartupTraining.run();
            return;
        }
        System.exit(execute(args));
    }

    /** Runs lab with these arguments and returns the exit code (tests call this instead of main). */
    public static int execute(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(new PrintStream(new TerminalSafeStream(out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new TerminalSafeStream(err), true, StandardCharsets.UTF_8));
        try {
            return executeSafely(args);
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(out);
            System.setErr(err);
        }
    }

    /**
     * The command line for {@code args}: with only the subcommand they name where they name one, since building a
     * subcommand's model loads its classes and lab starts once per command; with all of them for help, completion and
     * errors, which list them.
     */
    static CommandLine cli(String... args) {
        CommandLine cli = new CommandLine(new LabCommand());
        String first = args.length > 0 ? args[0] : "";
        if (first.equals("--version") || first.equals("-V")) {
            return cli;
        }
        for (String name : SUBCOMMANDS.contains(first) && !first.equals("help") ? List.of(first) : SUBCOMMANDS) {
            cli.addSubcommand(name, subcommand(name));
        }
        return cli;
    }

    /** A new instance of the subcommand {@code name}; a switch, so only the chosen one's class is loaded. */
    static Object subcommand(String name) {
        return switch (name) {
            case "run" -> new RunCommand();
            case "plan" -> new PlanCommand();
            case "validate" -> new ValidateCommand();
            case "cleanup" -> new CleanupCommand();
            case "boot" -> new BootCommand();
            case "bisect" -> new BisectCommand();
            case "nightly" -> new NightlyCommand();
            case "baseline" -> new BaselineCommand();
            case "history" -> new HistoryCommand();
            case "analyze" -> new AnalyzeCommand();
            case "profile" -> new ProfileCommand();
            case "report" -> new ReportCommand();
            case "compare" -> new CompareCommand();
            case "vm" -> new VmCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException("no subcommand " + name);
        };
    }

    private static int executeSafely(String... args) {
        CommandLine cli = cli(args);
        // Plain help text: the terminal-safe streams would print picocli's colour codes as \x1b[...
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cli.setExecutionExceptionHandler(new Errors());
        cli.setParameterExceptionHandler((e, a) -> {
            cli.getErr().println("lab: " + e.getMessage());
            e.getCommandLine().usage(cli.getErr());
            return ExitCodes.BAD_INPUT;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lab " + dev.reclaimlab.artifacts.LabVersion.get()};
        }
    }

    /** Turns the exceptions users can cause into one-line messages and exit codes, never a stack trace. */
    static final class Errors implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
            if (e instanceof dev.reclaimlab.yaml.ConfigException config) {
                cli.getErr().println(config.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            if (e instanceof UserError user) {
                cli.getErr().println("lab: " + user.getMessage());
                return user.exitCode();
            }
            if (e instanceof java.io.IOException io) {
                cli.getErr().println("lab: " + io.getMessage());
                return ExitCodes.FAILED;
            }
            cli.getErr().println("lab: internal error: " + e);
            if (System.getenv("LAB_DEBUG") != null) {
                e.printStackTrace(cli.getErr());
            } else {
                cli.getErr().println("(set LAB_DEBUG=1 for the stack trace)");
            }
            return ExitCodes.FAILED;
        }
    }
}
