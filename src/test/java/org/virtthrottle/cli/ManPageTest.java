package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** man/virt-throttle.1 is what the build generates from the current command model, and man renders it cleanly. */
class ManPageTest {
    private static final Path CHECKED_IN = Path.of("man/virt-throttle.1");

    @Test
    void checkedInPageIsCurrent() throws Exception {
        GeneratedFiles.assertCurrent(CHECKED_IN);
    }

    @Test
    void manRendersPageWithoutWarnings() throws Exception {
        Path work = Files.createDirectories(Path.of("target/manpage"));
        Path out = work.resolve("man.out");
        Path err = work.resolve("man.err");
        ProcessBuilder man = new ProcessBuilder("man", "-l", CHECKED_IN.toString())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        man.environment().put("MANWIDTH", "80");
        man.environment().put("MANROFFOPT", "-ww"); // every groff warning, not only the default ones
        man.environment().put("LC_ALL", "C"); // plain ASCII, whatever the host's locale
        Process process = man.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("man finished").isTrue();
        assertThat(Files.readString(err)).as("man's stderr").isEmpty();
        assertThat(process.exitValue()).as("man's exit code").isZero();
        var root = ManPage.model();
        assertThat(Files.readString(out))
                .contains(ManPage.commands(root).stream()
                        .flatMap(c -> ManPage.names(c).stream())
                        .toList());
    }
}
