package org.virtthrottle.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.virtthrottle.testing.TestLauncher;

/**
 * Runs every console example of README.md and docs/ (docs/examples.md) and compares what it prints with
 * what the page shows, modulo what differs between runs. {@code bin/virt-throttle} is this build's code
 * (TestLauncher), so a change that alters an example's output fails here until the page shows it.
 * Each page gets a fresh sandbox (libvirt's embedded QEMU driver: no libvirtd, but QEMU).
 */
@Tag("integration")
class ConsoleExamplesIT {
    private static final String TOOL = "bin/virt-throttle ";

    @TempDir
    Path sandboxes;

    /** A page's sandbox (XDG_CACHE_HOME), shared by its blocks in order: a walkthrough goes on from block to block. */
    private final Map<String, Path> sandboxOfPage = new HashMap<>();

    @TestFactory
    Stream<DynamicTest> everyConsoleExamplePrintsWhatItsPageShows() throws Exception {
        List<ConsoleExamples.Block> blocks = new ArrayList<>();
        for (Path page : ConsoleExamples.pages(Path.of(""))) {
            blocks.addAll(ConsoleExamples.blocks(page.toString(), Files.readString(page)));
        }
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
            assertThat(step.command())
                    .as(block + ": examples run the checkout's launcher")
                    .startsWith(TOOL);
            String command = "'" + TestLauncher.script() + "' " + step.command().substring(TOOL.length());
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true);
            builder.environment().put("XDG_CACHE_HOME", cache.toString());
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] printed = process.getInputStream().readAllBytes();
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as(block + ": " + step.command())
                    .isTrue();
            assertThat(ConsoleExamples.normalise(new String(printed, StandardCharsets.UTF_8)))
                    .as(block + ": the output of " + step.command())
                    .isEqualTo(ConsoleExamples.normalise(step.output()));
        }
    }
}
