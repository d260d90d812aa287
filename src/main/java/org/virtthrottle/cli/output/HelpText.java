package org.virtthrottle.cli.output;

import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.virtthrottle.cli.command.NamedForm;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How help reads: paragraphs reflowed to the terminal's width, options in the order the command
 * declares them (upstream's), each positional with its named form ({@code [--domain] DOMAIN}), a
 * command's own options only (the global ones are described once, in the tool's help), and the
 * command list with each command's whole first sentence.
 */
public final class HelpText {
    /** Order of the options that close every list: --config/--live/--current, then --dry-run. */
    public static final int AFFECT_OPTIONS = 100;

    public static final int LAST_OPTION = 200;

    private HelpText() {}

    /** Sets up the help of a command line's root and of every command it holds. */
    public static void describe(CommandLine line) {
        UsageMessageSpec root = line.getCommandSpec().usageMessage();
        root.sortOptions(false)
                .autoWidth(true)
                .descriptionHeading("%n")
                .optionListHeading("%nOptions:%n")
                .commandListHeading("%nCommands:%n");
        root.sectionMap()
                .put(
                        UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
                        help -> commandList(help.commandSpec().commandLine()));
        for (CommandLine command : line.getSubcommands().values()) {
            UsageMessageSpec usage = command.getCommandSpec().usageMessage();
            usage.sortOptions(false)
                    .sortSynopsis(false)
                    .autoWidth(true)
                    .descriptionHeading("%n")
                    .parameterListHeading("%nArguments:%n")
                    .optionListHeading("%nOptions:%n");
            usage.sectionMap().put(UsageMessageSpec.SECTION_KEY_SYNOPSIS, HelpText::synopsis);
            usage.sectionMap().put(UsageMessageSpec.SECTION_KEY_PARAMETER_LIST, HelpText::parameterList);
            usage.sectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, HelpText::optionList);
        }
    }

    /** The options a command's help lists: its own, without the global ones and --version. */
    static List<OptionSpec> ownOptions(CommandSpec command) {
        List<OptionSpec> options = new ArrayList<>();
        for (OptionSpec o : command.options()) {
            if (!o.hidden() && !o.inherited() && !o.versionHelp() && !o.usageHelp()) {
                options.add(o);
            }
        }
        options.sort(Comparator.comparingInt(OptionSpec::order));
        return options;
    }

    /** virsh's synopsis: {@code throttlegroupinfo DOMAIN GROUP [--inactive]}, wrapped to the width. */
    private static String synopsis(Help help) {
        CommandSpec spec = help.commandSpec();
        List<String> words = new ArrayList<>();
        for (PositionalParamSpec p : spec.positionalParameters()) {
            String label = p.paramLabel() + (p.arity().max() > 1 ? "..." : "");
            words.add(p.arity().min() > 0 ? label : "[" + label + "]");
        }
        for (OptionSpec o : ownOptions(spec)) {
            words.add("[" + o.longestName() + (o.arity().max() > 0 ? " " + o.paramLabel() : "") + "]");
        }
        int width = spec.usageMessage().width();
        // continuation lines line up after the command's name, unless that leaves too little room
        int indent =
                Math.min(help.synopsisHeadingLength() + spec.qualifiedName().length() + 1, width / 3);
        int column = help.synopsisHeadingLength() + spec.qualifiedName().length();
        StringBuilder text = new StringBuilder(spec.qualifiedName());
        for (String word : words) {
            if (column + word.length() + 1 > width && column > indent) {
                text.append('\n').append(" ".repeat(indent - 1));
                column = indent - 1;
            }
            text.append(' ').append(word);
            column += word.length() + 1;
        }
        return text.append('\n').toString();
    }

    /** Each positional with its named form: {@code [--group-name] GROUP}. */
    private static String parameterList(Help help) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (PositionalParamSpec p : help.commandSpec().positionalParameters()) {
            NamedForm form = p.userObject() instanceof Field f ? f.getAnnotation(NamedForm.class) : null;
            rows.put(
                    (form != null ? "[--" + form.value() + "] " : "") + p.paramLabel(),
                    String.join(" ", p.description()));
        }
        return table(help.commandSpec(), rows);
    }

    /** The command's own options (dashed names only: the underscore spellings are aliases), then --help. */
    private static String optionList(Help help) {
        CommandSpec spec = help.commandSpec();
        List<OptionSpec> options = ownOptions(spec);
        spec.options().stream().filter(OptionSpec::usageHelp).forEach(options::add);
        Map<String, String> rows = new LinkedHashMap<>();
        for (OptionSpec o : options) {
            List<String> names = new ArrayList<>();
            for (String name : o.names()) {
                if (!name.contains("_")) {
                    names.add(name);
                }
            }
            String label = String.join(", ", names) + (o.arity().max() > 0 ? " " + o.paramLabel() : "");
            rows.put(label, String.join(" ", o.description()));
        }
        return table(spec, rows);
    }

    /** Commands with the first sentence of their description. */
    static String commandList(CommandLine root) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (CommandLine command : new LinkedHashSet<>(root.getSubcommands().values())) {
            CommandSpec spec = command.getCommandSpec();
            if (!spec.usageMessage().hidden()) {
                List<String> names = new ArrayList<>(List.of(spec.name()));
                names.addAll(List.of(spec.aliases()));
                rows.put(String.join(", ", names), firstSentence(spec));
            }
        }
        return table(root.getCommandSpec(), rows);
    }

    /** The shell's help: its commands, quit and exit, and the options valid on any command line. */
    public static void shellHelp(CommandLine root, PrintWriter out) {
        out.println("Commands (help COMMAND shows one; ';' separates commands on a line):");
        out.print(commandList(root).replaceFirst("\n$", ""));
        out.println();
        Map<String, String> leave = new LinkedHashMap<>();
        leave.put("quit, exit", "Leave the shell (so does Ctrl-D).");
        out.print(table(root.getCommandSpec(), leave));
        out.println();
        out.println("Options of every command line (before the command; all but --dry-run also after it):");
        Help help = new Help(root.getCommandSpec(), Help.defaultColorScheme(Ansi.OFF));
        List<OptionSpec> globals =
                new ArrayList<>(root.getCommandSpec().mixins().get("globals").options());
        Help.Layout layout = help.createDefaultLayout(globals, List.of(), help.colorScheme());
        out.print(help.optionListExcludingGroups(globals, layout, null, help.parameterLabelRenderer()));
        out.flush();
    }

    /** Two columns, the second wrapped to the width; a long first cell pushes its text to the next line. */
    private static String table(CommandSpec spec, Map<String, String> rows) {
        int width = spec.usageMessage().width();
        int nameWidth =
                Math.min(rows.keySet().stream().mapToInt(String::length).max().orElse(0) + 4, width / 2);
        Help.TextTable table = Help.TextTable.forColumns(
                Help.defaultColorScheme(Ansi.OFF),
                new Help.Column(nameWidth, 2, Help.Column.Overflow.SPAN),
                new Help.Column(Math.max(20, width - nameWidth), 1, Help.Column.Overflow.WRAP));
        rows.forEach(table::addRowValues);
        return table.toString();
    }

    /** The description's first sentence: up to the first ". " (or all of its first paragraph). */
    static String firstSentence(CommandSpec spec) {
        String[] description = spec.usageMessage().description();
        if (description.length == 0) {
            return "";
        }
        String text = description[0];
        int end = text.indexOf(". ");
        return end < 0 ? text : text.substring(0, end + 1);
    }
}
