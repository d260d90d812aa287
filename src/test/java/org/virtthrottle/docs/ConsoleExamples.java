package org.virtthrottle.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.virtthrottle.testing.TestLauncher;

/**
 * The console examples of README.md and docs/*.md, and how their output is compared; the convention is
 * written for contributors in docs/examples.md. A block opened by {@code ```console} holds commands,
 * each on a line starting with {@code $ }, each followed by the output it prints (stdout and stderr as a
 * terminal shows them) up to the next command or the block's end.
 */
final class ConsoleExamples {
    /** One command of a block and the output the page shows for it. */
    record Step(String command, String output) {}

    /** Where a block's commands run, told by how they start. */
    enum Runs {
        /** {@code bin/virt-throttle --sandbox '...'}: the checkout's sandbox (ConsoleExamplesIT). */
        SANDBOX("bin/virt-throttle --sandbox "),
        /** {@code virt-throttle ...}: the test guest {@code web} on the real libvirtd (GuestConsoleExamplesIT). */
        GUEST("virt-throttle ");

        /** How each command of such a block starts. */
        final String prefix;

        Runs(String prefix) {
            this.prefix = prefix;
        }
    }

    /** One ```console block: its page, the line of its opening fence, its steps in order. */
    record Block(String page, int line, List<Step> steps) {
        /** Where the block runs: all its commands start the same way, else it is refused. */
        Runs runs() {
            for (Runs runs : Runs.values()) {
                if (steps.stream().allMatch(step -> step.command().startsWith(runs.prefix))) {
                    return runs;
                }
            }
            throw new IllegalArgumentException(this + ": every command of a console block runs '" + Runs.SANDBOX.prefix
                    + "...', or every one '" + Runs.GUEST.prefix + "...' on the test guest");
        }

        @Override
        public String toString() {
            return page + ":" + line;
        }
    }

    private ConsoleExamples() {}

    /** README.md and every docs/*.md, in a stable order. */
    static List<Path> pages(Path repository) {
        List<Path> pages = new ArrayList<>(List.of(repository.resolve("README.md")));
        try (Stream<Path> docs = Files.list(repository.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    static List<Block> blocks(String page, String text) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].equals("```console")) {
                continue;
            }
            int start = i + 1;
            List<Step> steps = new ArrayList<>();
            String command = null;
            StringBuilder output = new StringBuilder();
            for (i = start; i < lines.length && !lines[i].equals("```"); i++) {
                if (lines[i].startsWith("$ ")) {
                    if (command != null) {
                        steps.add(new Step(command, output.toString()));
                    }
                    command = lines[i].substring(2);
                    output.setLength(0);
                } else if (command == null) {
                    throw new IllegalArgumentException(
                            page + ":" + (i + 1) + ": a console block starts with a '$ ' command line");
                } else {
                    output.append(lines[i]).append('\n');
                }
            }
            if (i == lines.length) {
                throw new IllegalArgumentException(page + ":" + start + ": console block not closed");
            }
            if (command == null) {
                throw new IllegalArgumentException(page + ":" + start + ": console block without a command");
            }
            steps.add(new Step(command, output.toString()));
            blocks.add(new Block(page, start, steps));
        }
        return blocks;
    }

    /** The ```console blocks of README.md and docs/*.md that run there, in page order. */
    static List<Block> blocks(Path repository, Runs runs) {
        List<Block> blocks = new ArrayList<>();
        for (Path page : pages(repository)) {
            try {
                blocks(page.toString(), Files.readString(page)).stream()
                        .filter(block -> block.runs() == runs)
                        .forEach(blocks::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return blocks;
    }

    /**
     * Runs a command of a block as the page shows it, with the checkout's launcher (TestLauncher) in
     * place of {@code bin/virt-throttle} or {@code virt-throttle}, through bash and with the extra
     * environment; returns stdout and stderr together, as a terminal shows them.
     */
    static String run(Block block, String command, Map<String, String> environment) throws Exception {
        String prefix = block.runs().prefix;
        String tool = prefix.substring(0, prefix.indexOf(' ') + 1);
        assertThat(command).as(block + ": examples run the launcher").startsWith(tool);
        ProcessBuilder builder = new ProcessBuilder(
                        "bash", "-c", "'" + TestLauncher.script() + "' " + command.substring(tool.length()))
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] printed = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as(block + ": " + command)
                .isTrue();
        return new String(printed, StandardCharsets.UTF_8);
    }

    /** Fails unless what a step's run printed is, normalised, what its page shows. */
    static void assertPrintsWhatThePageShows(Block block, Step step, String printed) {
        assertThat(normalise(printed))
                .as(block + ": the output of " + step.command() + ", as printed:\n" + printed)
                .isEqualTo(normalise(step.output()));
    }

    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    private static final Pattern SECONDS = Pattern.compile("\\b\\d+(\\.\\d+)? s\\b");
    private static final Pattern RATE = Pattern.compile("\\b\\d+(\\.\\d+)? (IOPS|B/s|KiB/s|MiB/s|GiB/s)");
    private static final Pattern PERCENT = Pattern.compile("\\b\\d+%");
    private static final Pattern BAR = Pattern.compile("\\[[#.]+]");
    private static final Pattern NODE = Pattern.compile("\\b(vtf|vtp)-([a-z]+)-\\d+\\b");
    private static final Pattern LIBVIRT_NODE = Pattern.compile("\\blibvirt-\\d+-");
    private static final Pattern RULE = Pattern.compile("-{3,}");
    private static final Pattern BLANKS = Pattern.compile(" {2,}");

    /**
     * What may differ from run to run is replaced by a placeholder: timestamps, durations, measured rates
     * and shares (and their bars), QEMU node numbers; table padding and rule lengths follow those widths,
     * so runs of blanks become one and rules three dashes. Trailing blanks and blank lines go.
     */
    static String normalise(String output) {
        String s = TIME.matcher(output).replaceAll("<time>");
        s = SECONDS.matcher(s).replaceAll("<n> s");
        s = RATE.matcher(s).replaceAll("<n> $2");
        s = PERCENT.matcher(s).replaceAll("<n>%");
        s = BAR.matcher(s).replaceAll("[<bar>]");
        s = NODE.matcher(s).replaceAll("$1-$2-<n>");
        s = LIBVIRT_NODE.matcher(s).replaceAll("libvirt-<n>-");
        s = RULE.matcher(s).replaceAll("---");
        s = BLANKS.matcher(s).replaceAll(" ");
        StringBuilder out = new StringBuilder();
        for (String line : s.split("\n", -1)) {
            out.append(line.stripTrailing()).append('\n');
        }
        return out.toString().strip();
    }
}
