package org.virtthrottle.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reading of console blocks and the normalisation, without running anything. */
class ConsoleExamplesTest {
    @Test
    void aBlockIsCommandsEachWithTheLinesUpToTheNext() {
        String page = "text\n```console\n$ a 1\nout 1\n\nout 2\n$ b\n```\n```sh\n$ not run\n```\n";
        List<ConsoleExamples.Block> blocks = ConsoleExamples.blocks("p.md", page);
        assertThat(blocks).hasSize(1);
        assertThat(blocks.get(0).line()).as("the fence's line").isEqualTo(2);
        assertThat(blocks.get(0).steps())
                .containsExactly(
                        new ConsoleExamples.Step("a 1", "out 1\n\nout 2\n"), new ConsoleExamples.Step("b", ""));
    }

    @Test
    void outputBeforeAnyCommandOrAnUnclosedBlockIsRefused() {
        assertThatThrownBy(() -> ConsoleExamples.blocks("p.md", "```console\nout\n```\n"))
                .hasMessageContaining("p.md:2");
        assertThatThrownBy(() -> ConsoleExamples.blocks("p.md", "```console\n$ a\n"))
                .hasMessageContaining("not closed");
    }

    @Test
    void timesRatesAndNodeNumbersAreIgnoredButWordsAndLimitsAreNot() {
        String shown =
                "sandbox: 1.01 s to 2026-12-05T23:35:51Z\n perdisk   100.0 IOPS   0.0 IOPS      0% [....]   sda\n"
                        + " sda   vtf-sda-0,vtf-sda-1\n-----\n";
        String run = "sandbox: 4.20 s to 2027-01-01T00:00:00Z\n perdisk 100.0 IOPS 37.5 IOPS 38% [##..] sda\n"
                + " sda vtf-sda-4,vtf-sda-5\n---------\n\n";
        assertThat(ConsoleExamples.normalise(run)).isEqualTo(ConsoleExamples.normalise(shown));
        assertThat(ConsoleExamples.normalise(shown.replace("perdisk", "shared")))
                .isNotEqualTo(ConsoleExamples.normalise(shown));
        assertThat(ConsoleExamples.normalise("total_iops_sec : 200"))
                .isNotEqualTo(ConsoleExamples.normalise("total_iops_sec : 100"));
    }

    @Test
    void aBlockRunsOnTheSandboxOrOnTheGuestNeverOnBoth() {
        String sandbox = "$ bin/virt-throttle --sandbox 'throttlegroupinfo sandbox g'\nout\n";
        String guest = "$ virt-throttle throttlegroupinfo web g\nout\n";
        assertThat(ConsoleExamples.blocks("p.md", "```console\n" + sandbox + "```\n```console\n" + guest + "```\n"))
                .extracting(ConsoleExamples.Block::runs)
                .containsExactly(ConsoleExamples.Runs.SANDBOX, ConsoleExamples.Runs.GUEST);
        assertThatThrownBy(() -> ConsoleExamples.blocks("p.md", "```console\n" + sandbox + guest + "```\n")
                        .get(0)
                        .runs())
                .hasMessageContaining("p.md:1");
        assertThatThrownBy(() -> ConsoleExamples.blocks("p.md", "```console\n$ bin/virt-throttle --version\n```\n")
                        .get(0)
                        .runs())
                .hasMessageContaining("p.md:1");
    }

    @Test
    void theDocumentationHasConsoleExamplesAndEachRunsTheLauncherOnTheSandboxOrTheGuest() throws Exception {
        List<ConsoleExamples.Runs> runs = new ArrayList<>();
        for (Path page : ConsoleExamples.pages(Path.of(""))) {
            for (ConsoleExamples.Block block : ConsoleExamples.blocks(page.toString(), Files.readString(page))) {
                runs.add(block.runs());
            }
        }
        assertThat(runs).contains(ConsoleExamples.Runs.SANDBOX, ConsoleExamples.Runs.GUEST);
    }

    /**
     * What virt-throttle prints is shown in console blocks only, so that a test checks it: no other
     * fenced block shows a {@code $ virt-throttle} or {@code $ bin/virt-throttle} command.
     */
    @Test
    void noOtherBlockShowsAVirtThrottleRun() throws Exception {
        List<String> unchecked = new ArrayList<>();
        for (Path page : ConsoleExamples.pages(Path.of(""))) {
            String fence = null; // the opening fence of the block the line is in
            List<String> lines = Files.readAllLines(page);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (fence == null) {
                    fence = line.startsWith("```") ? line : null;
                } else if (line.equals("```")) {
                    fence = null;
                } else if (!fence.equals("```console") && line.matches("\\$ (bin/)?virt-throttle .*")) {
                    unchecked.add(page + ":" + (i + 1) + ": " + line);
                }
            }
        }
        assertThat(unchecked).as("runs shown outside console blocks").isEmpty();
    }
}
