package org.virtthrottle.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
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
    void theDocumentationHasConsoleExamplesAndEachRunsTheLauncher() throws Exception {
        int blocks = 0;
        for (Path page : ConsoleExamples.pages(Path.of(""))) {
            for (ConsoleExamples.Block block : ConsoleExamples.blocks(page.toString(), Files.readString(page))) {
                blocks++;
                assertThat(block.steps()).allSatisfy(step -> assertThat(step.command())
                        .as(block.toString())
                        .startsWith("bin/virt-throttle --sandbox "));
            }
        }
        assertThat(blocks).isPositive();
    }
}
