package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The checked-in completion script is what the current command model generates. */
class BashCompletionScriptTest {
    static final Path SCRIPT = Path.of("completions", "virt-throttle.bash");

    @Test
    void checkedInScriptIsUpToDate() throws IOException {
        GeneratedFiles.assertCurrent(SCRIPT);
    }

    @Test
    void scriptIsValidBash() throws Exception {
        Process p = new ProcessBuilder("bash", "-n", SCRIPT.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }
}
