package dev.reclaimlab.cli;

import dev.reclaimlab.artifacts.LabVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * lab's man pages and shell completion, written from the same picocli model that parses its command line, so they
 * cannot drift from it. The build runs this for the package (orchestrator/src/dist/build-dist):
 *
 * <pre>java -cp lab.jar dev.reclaimlab.cli.Documentation SHARE_DIR</pre>
 *
 * writes {@code man/man1/lab.1.gz} and one page per subcommand ({@code lab-run.1.gz}, {@code lab-vm-up.1.gz}),
 * {@code bash-completion/completions/lab} and {@code zsh/vendor-completions/_lab} under SHARE_DIR.
 */
public final class Documentation {
    private Documentation() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Documentation SHARE_DIR");
            System.exit(2);
        }
        Path share = Path.of(args[0]);
        CommandLine lab = LabCommand.cli();
        Path man = Files.createDirectories(share.resolve("man/man1"));
        int pages = 0;
        for (CommandLine command : everyCommand(lab)) {
            String name = command.getCommandSpec().qualifiedName("-");
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(man.resolve(name + ".1.gz")))) {
                out.write(manPage(command.getCommandSpec(), lab.getCommandSpec()).getBytes(StandardCharsets.UTF_8));
            }
            pages++;
        }
        String bash = AutoComplete.bash("lab", lab);
        Files.writeString(Files.createDirectories(share.resolve("bash-completion/completions")).resolve("lab"), bash);
        // zsh runs bash completion functions through its bashcompinit
        Files.writeString(Files.createDirectories(share.resolve("zsh/vendor-completions")).resolve("_lab"),
                "#compdef lab\n# lab's completion: the bash function, through zsh's bashcompinit\n"
                        + "autoload -U +X bashcompinit && bashcompinit\n" + bash);
        System.out.println("Documentation: " + pages + " man pages, bash and zsh completion in " + share);
    }

    /** {@code lab} and every subcommand under it, depth first. */
    static List<CommandLine> everyCommand(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        all.add(root);
        for (CommandLine sub : root.getSubcommands().values()) {
            if (!sub.getCommandSpec().usageMessage().hidden() && !sub.getCommandName().equals("help")) {
                all.addAll(everyCommand(sub));
            }
        }
        return all;
    }

    /** One command's page in man(7) roff. */
    static String manPage(CommandSpec spec, CommandSpec root) {
        String name = spec.qualifiedName("-");
        StringBuilder page = new StringBuilder();
        page.append(".TH ").append(quoted(name.toUpperCase(java.util.Locale.ROOT))).append(" 1 ")
                .append(quoted(LocalDate.now().toString())).append(' ')
                .append(quoted("lab " + LabVersion.get())).append(' ').append(quoted("reclaim-lab manual"))
                .append('\n');
        String[] description = spec.usageMessage().description();
        page.append(".SH NAME\n").append(escape(name)).append(" \\- ")
                .append(escape(description.length > 0 ? firstSentence(description[0]) : "")).append('\n');
        CommandLine.Help help = new CommandLine.Help(spec,
                CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        page.append(".SH SYNOPSIS\n.nf\n").append(text(help.synopsis(0).strip())).append("\n.fi\n");
        if (description.length > 0) {
            page.append(".SH DESCRIPTION\n");
            for (String line : description) {
                page.append(text(line)).append("\n.PP\n");
            }
        }
        if (!spec.positionalParameters().isEmpty()) {
            page.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : spec.positionalParameters()) {
                if (!p.hidden()) {
                    page.append(".TP\n.I ").append(escape(p.paramLabel())).append('\n')
                            .append(text(String.join(" ", p.description()))).append('\n');
                }
            }
        }
        List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).toList();
        if (!options.isEmpty()) {
            page.append(".SH OPTIONS\n");
            for (OptionSpec o : options) {
                page.append(".TP\n");
                List<String> names = new ArrayList<>();
                for (String n : o.names()) {
                    names.add("\\fB" + escape(n) + "\\fR");
                }
                page.append(String.join(", ", names));
                if (o.typeInfo().isBoolean() || o.arity().max() == 0) {
                    page.append('\n');
                } else {
                    page.append(" \\fI").append(escape(o.paramLabel())).append("\\fR\n");
                }
                page.append(text(String.join(" ", o.description()))).append('\n');
            }
        }
        if (!spec.subcommands().isEmpty()) {
            page.append(".SH COMMANDS\n");
            spec.subcommands().forEach((sub, command) -> {
                String[] d = command.getCommandSpec().usageMessage().description();
                page.append(".TP\n.B ").append(escape(sub)).append('\n')
                        .append(text(d.length > 0 ? firstSentence(d[0]) : "")).append('\n');
            });
        }
        Map<String, String> exitCodes = root.usageMessage().exitCodeList();
        if (!exitCodes.isEmpty()) {
            page.append(".SH EXIT STATUS\n");
            exitCodes.forEach((code, meaning) -> page.append(".TP\n.B ").append(escape(code.strip())).append('\n')
                    .append(text(meaning)).append('\n'));
        }
        page.append(".SH SEE ALSO\n");
        List<String> related = new ArrayList<>();
        if (spec.parent() != null) {
            related.add("\\fB" + escape(spec.parent().qualifiedName("-")) + "\\fR(1)");
        }
        spec.subcommands().values().forEach(c -> {
            if (!c.getCommandName().equals("help")) {
                related.add("\\fB" + escape(c.getCommandSpec().qualifiedName("-")) + "\\fR(1)");
            }
        });
        related.add("the README of reclaim-lab");
        page.append(String.join(", ", related)).append('\n');
        return page.toString();
    }

    private static String firstSentence(String text) {
        int end = text.indexOf(": ");
        int stop = text.indexOf(". ");
        int cut = stop >= 0 && (end < 0 || stop < end) ? stop : -1;
        return (cut >= 0 ? text.substring(0, cut) : text).replaceAll("\\.$", "");
    }

    /** Running text: escaped, and no line may start with a roff control character. */
    private static String text(String s) {
        StringBuilder out = new StringBuilder();
        for (String line : escape(s).split("\n", -1)) {
            if (out.length() > 0) {
                out.append('\n');
            }
            if (line.startsWith(".") || line.startsWith("'")) {
                out.append("\\&");
            }
            out.append(line);
        }
        return out.toString();
    }

    /**
     * Backslashes and hyphens as roff wants them (a hyphen in an option is a minus sign, not a break point), and
     * characters beyond ASCII as roff's Unicode escapes, since troff reads its input as Latin-1.
     */
    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c == '\\') {
                out.append("\\e");
            } else if (c == '-') {
                out.append("\\-");
            } else if (c > 0x7e) {
                out.append(String.format("\\[u%04X]", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static String quoted(String s) {
        return "\"" + escape(s).replace("\"", "\\(dq") + "\"";
    }
}
