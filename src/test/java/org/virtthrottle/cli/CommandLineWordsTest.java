package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.virtthrottle.cli.output.Output;
import picocli.CommandLine;

/**
 * The command line as users type it, without libvirt: virsh's grammar and error texts (those
 * docs/command-line.md shows, and upstream virsh 11.3's own for the situations both tools have), --version
 * anywhere, and help.
 */
class CommandLineWordsTest {
    private static final Path TRANSCRIPTS = Path.of("testdata", "upstream-virsh-11.3");

    private record Run(int exitCode, String out, String err) {}

    /** Runs a command line; the connection (never reached by these lines) is the test driver's. */
    private static Run run(String... args) {
        return run(false, args);
    }

    private static Run run(boolean inShell, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (CliContext context =
                Main.context(new Output(new PrintWriter(out), new PrintWriter(err)), "test:///default")) {
            if (inShell) {
                context.enterShell();
            }
            int code = new Cli(context).run(args);
            return new Run(code, out.toString(), err.toString());
        }
    }

    /** The model of every command, as help and completion see it. */
    private static CommandLine model() {
        return new Cli(Main.context(
                        new Output(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), null))
                .commandLine();
    }

    /** Words split at single blanks, as the transcripts print them: two blanks (or '') stand for an empty word. */
    private static String[] words(String line) {
        return Arrays.stream(line.strip().split(" ", -1))
                .map(w -> w.equals("''") ? "" : w)
                .toArray(String[]::new);
    }

    /** docs/command-line.md's table of mistakes: the command line to its error lines (each in backquotes, virsh prints some as two). */
    private static Map<String, String> readmeMistakes() throws Exception {
        String readme = Files.readString(Path.of("docs", "command-line.md"));
        String table = readme.substring(readme.indexOf("| mistake | error |"));
        table = table.substring(0, table.indexOf("\n\n"));
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : table.split("\n")) {
            String[] cells = line.split("\\|");
            if (cells.length >= 3 && cells[1].strip().startsWith("`")) {
                String[] quoted = cells[2].strip().split("`");
                StringBuilder errors = new StringBuilder();
                for (int i = 1; i < quoted.length; i += 2) {
                    errors.append("error: ").append(quoted[i]).append('\n');
                }
                rows.put(cells[1].strip().replace("`", ""), errors.toString());
            }
        }
        return rows;
    }

    @Test
    void eachMistakeInTheReadmeGetsTheErrorItShowsAndStatus2() throws Exception {
        Map<String, String> mistakes = readmeMistakes();
        assertThat(mistakes).hasSizeGreaterThanOrEqualTo(10);
        mistakes.forEach((line, error) -> {
            Run r = run(words(line));
            assertThat(r.err()).as(line).isEqualTo(error);
            assertThat(r.exitCode()).as(line).isEqualTo(2);
            assertThat(r.out()).as(line).isBlank();
        });
    }

    /**
     * Upstream's transcripts: each "$ virsh ..." line whose output starts with a usage error that
     * virt-throttle also detects before any libvirt call; the same words give upstream's error lines.
     */
    @Test
    void theSituationsBothToolsHaveGetUpstreamsErrorText() throws Exception {
        List<String> situations = List.of(
                "domthrottlegroupset tgref h --total-iops-sec 1 --live --current",
                "domthrottlegroupset tgref  --total-iops-sec 1 --live",
                "domthrottlegroupset tgref n --total-iops-sec -1 --live",
                "attach-disk tgref /var/lib/libvirt/images/d3.qcow2 vdc --driver qemu --subdriver qcow2 --targetbus virtio "
                        + "--throttle-groups  --live --print-xml");
        Map<String, String> upstream = new LinkedHashMap<>();
        for (String file : List.of("01-set-list-info.txt", "06-live-update-and-attach-errors.txt")) {
            List<String> lines = Files.readAllLines(TRANSCRIPTS.resolve(file));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("$ virsh ") && lines.get(i + 1).startsWith("error: ")) {
                    StringBuilder errors = new StringBuilder();
                    for (int j = i + 1; j < lines.size() && lines.get(j).startsWith("error: "); j++) {
                        errors.append(lines.get(j)).append('\n');
                    }
                    upstream.put(lines.get(i).substring("$ virsh ".length()), errors.toString());
                }
            }
        }
        assertThat(upstream).containsKeys(situations.toArray(String[]::new));
        for (String situation : situations) {
            Run r = run(words(situation));
            assertThat(r.err()).as(situation).isEqualTo(upstream.get(situation));
            assertThat(r.exitCode()).as(situation).isEqualTo(2);
        }
    }

    @Test
    void namedFormsFillTheirPositionalsAndDataFillsTheFirstFreeOne() {
        CommandLine.Model.CommandSpec info =
                model().getSubcommands().get("throttlegroupinfo").getCommandSpec();

        assertThat(VirshSyntax.canonical(info, "throttlegroupinfo", List.of("--domain", "web", "--group-name", "g1")))
                .containsExactly("--", "web", "g1");
        assertThat(VirshSyntax.canonical(info, "throttlegroupinfo", List.of("--group-name=g1", "web", "--inactive")))
                .containsExactly("--inactive", "--", "web", "g1");
        assertThat(VirshSyntax.canonical(info, "throttlegroupinfo", List.of("web", "--", "--inactive")))
                .containsExactly("--", "web", "--inactive");
        assertThat(VirshSyntax.canonical(info, "throttlegroupinfo", List.of("-1", "g")))
                .as("a word with one dash that is no option is data, as in virsh")
                .containsExactly("--", "-1", "g");
    }

    @Test
    void anEmptyTierLeavesItsTierWhereOtherEmptyStringOptionsAreRefused() {
        CommandLine.Model.CommandSpec set =
                model().getSubcommands().get("throttlegroupset").getCommandSpec();

        assertThat(VirshSyntax.canonical(set, "throttlegroupset", List.of("web", "g", "--tier", "", "--live")))
                .contains("--tier=");
        assertThatThrownBy(() ->
                        VirshSyntax.canonical(set, "throttlegroupset", List.of("web", "", "--tier", "gold", "--live")))
                .hasMessage("Failed to get option 'group-name': Option argument is empty");
    }

    /** The named forms docs/command-line.md lists, each on its command. */
    @Test
    void everyNamedFormReadmeListsFillsItsArgument() {
        Map<String, List<String>> lines = new LinkedHashMap<>();
        lines.put("attach-disk", List.of("--target", "sdb", "--source", "/img", "--domain", "web"));
        lines.put("detach-disk", List.of("--target", "sdb", "web"));
        lines.put("throttlefilterset", List.of("--throttle-groups", "", "--domain", "web", "sdb"));
        lines.put("reconcile", List.of("--domain", "web", "--domain", "db"));
        lines.put("migrate-config", List.of("--domain", "web"));
        lines.put("watch", List.of("--domain", "web"));
        lines.put("connect", List.of("--name", "test:///default"));
        lines.put("help", List.of("--command", "list"));
        Map<String, List<String>> expected = Map.of(
                "attach-disk", List.of("--", "web", "/img", "sdb"),
                "detach-disk", List.of("--", "web", "sdb"),
                "throttlefilterset", List.of("--", "web", "sdb", ""),
                "reconcile", List.of("--", "web", "db"),
                "migrate-config", List.of("--", "web"),
                "watch", List.of("--", "web"),
                "connect", List.of("--", "test:///default"),
                "help", List.of("--", "list"));
        CommandLine model = model();
        lines.forEach((command, words) -> assertThat(VirshSyntax.canonical(
                        model.getSubcommands().get(command).getCommandSpec(), command, words))
                .as(command)
                .isEqualTo(expected.get(command)));
    }

    @Test
    void versionAnswersBeforeAndAfterAnyCommand() {
        for (String[] line : List.of(
                new String[] {"list", "--version"},
                new String[] {"throttlegroupinfo", "-V"},
                new String[] {"-V", "list"},
                new String[] {"--version", "throttlegroupset"},
                new String[] {"throttlegroupset", "web", "g", "--version"})) {
            Run r = run(line);
            assertThat(r.exitCode()).as(Arrays.toString(line)).isZero();
            assertThat(r.out()).as(Arrays.toString(line)).startsWith("virt-throttle ");
        }
    }

    @Test
    void aCommandsHelpListsItsOwnOptionsInUpstreamsOrder() throws Exception {
        Run r = run("throttlegroupset", "--help");

        assertThat(r.exitCode()).isZero();
        List<String> upstreamOrder = new ArrayList<>();
        for (String line : Files.readAllLines(TRANSCRIPTS.resolve("help-domthrottlegroupset.txt"))) {
            if (line.strip().startsWith("--")) {
                upstreamOrder.add(line.strip().split(" ")[0]);
            }
        }
        assertThat(upstreamOrder).hasSize(22);
        List<String> ours = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (line.startsWith("  --")) {
                ours.add(line.strip().split(" ")[0]);
            }
        }
        List<String> withTier = concat(upstreamOrder, "--tier"); // ours: tier membership
        assertThat(ours).containsExactly(concat(withTier, "--dry-run").toArray(String[]::new));
        assertThat(r.out())
                .contains("[--domain] DOMAIN", "[--group-name] GROUP")
                .doesNotContain("--json", "--connect", "--quiet", "--version", "_");
        assertThat(run("list", "--help").out()).doesNotContain("--dry-run");
        assertThat(run("throttlegroupinfo", "--help").out()).doesNotContain("--dry-run");
    }

    private static List<String> concat(List<String> list, String last) {
        List<String> all = new ArrayList<>(list);
        all.add(last);
        return all;
    }

    @Test
    void descriptionsAreParagraphsThatReflowToTheWidth() {
        for (CommandLine command : model().getSubcommands().values()) {
            CommandLine.Model.UsageMessageSpec usage = command.getCommandSpec().usageMessage();
            for (String paragraph : usage.description()) {
                usage.autoWidth(false).width(400);
                assertThat(command.getUsageMessage())
                        .as(command.getCommandName())
                        .contains(paragraph);
                usage.width(60);
                assertThat(command.getUsageMessage().lines().filter(l -> l.length() > 60))
                        .as(command.getCommandName())
                        .isEmpty();
            }
        }
    }

    @Test
    void theCommandListShowsEachCommandsWholeFirstSentence() {
        String help = run("help").out();

        for (String sentence : List.of(
                "Add a throttle group, or update an existing one.",
                "List a domain's throttle groups: those in QEMU for a running domain, those in the persistent configuration "
                        + "with --inactive (or a shut-off domain).")) {
            assertThat(help.replaceAll("\\s+", " ")).contains(sentence);
        }
    }

    @Test
    void theShellsHelpHasQuitAndExitButNotTheToolsOwnOptions() {
        String help = run(true, "help").out();

        assertThat(help)
                .contains("quit, exit", "throttlegroupset", "--json")
                .doesNotContain("--sandbox", "--file", "-f,", "COMMANDS", "--install-deps", "--stop-on-error");
        assertThat(run("help").out()).contains("--sandbox", "--file");
    }
}
