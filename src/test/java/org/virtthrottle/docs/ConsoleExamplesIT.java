package org.virtthrottle.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every console example of README.md and docs/ (docs/examples.md) and compares what it prints with
 * what the page shows, modulo what differs between runs. {@code bin/virt-throttle} is this build's code
 * (TestLauncher), so a change that alters an example's output fails here until the page shows it.
 * Each page gets a fresh sandbox (libvirt's embedded QEMU driver: no libvirtd, but QEMU). The blocks that
 * run on a real guest instead are GuestConsoleExamplesIT's.
 */
@Tag("integration")
class ConsoleExamplesIT {
    @TempDir
    Path sandboxes;

    /** A page's sandbox (XDG_CACHE_HOME), shared by its blocks in order: a walkthrough goes on from block to block. */
    private final Map<String, Path> sandboxOfPage = new HashMap<>();

    @TestFactory
    Stream<DynamicTest> everyConsoleExamplePrintsWhatItsPageShows() {
        List<ConsoleExamples.Block> blocks = ConsoleExamples.blocks(Path.of(""), ConsoleExamples.Runs.SANDBOX);
        assertThat(blocks).as("console examples in README.md and docs/").isNotEmpty();
        return blocks.stream().map(block -> DynamicTest.dynamicTest(block.toString(), () -> run(block)));
    }

    private void run(ConsoleExamples.Block block) throws Exception {
        Path cache = sandboxOfPage.computeIfAbsent(block.page(), page -> {
            // short: QEMU's monitor socket lies deep inside, and a UNIX socket path must stay under 108 bytes
            try {
                return Files.createDirectory(sandboxes.resolve(Integer.toString(sandboxOfPage.size())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        for (ConsoleExamples.Step step : block.steps()) {
            String printed = ConsoleExamples.run(block, step.command(), Map.of("XDG_CACHE_HOME", cache.toString()));
            ConsoleExamples.assertPrintsWhatThePageShows(block, step, printed);
        }
    }
}
