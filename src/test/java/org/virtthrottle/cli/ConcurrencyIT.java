package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestHost;
import org.virtthrottle.testing.TestLauncher;

/** Two virt-throttle processes changing one domain at the same time lose nothing. */
@Tag("integration")
class ConcurrencyIT {
    @Test
    void concurrentChangesToOneDomainAllArrive() throws Exception {
        try (TestGuest guest = TestGuest.start()) {
            List<Process> processes = new ArrayList<>();
            for (String who : List.of("a", "b")) {
                StringBuilder script = new StringBuilder();
                for (int i = 0; i < 25; i++) {
                    script.append("throttlegroupset ")
                            .append(guest.name())
                            .append(' ')
                            .append(who)
                            .append(i)
                            .append(" --total-iops-sec ")
                            .append(i + 1)
                            .append(" --live --config\n");
                }
                processes.add(new ProcessBuilder(
                                TestLauncher.script().toString(), "-q", "-c", TestHost.URI, script.toString())
                        .redirectErrorStream(true)
                        .start());
            }
            for (Process p : processes) {
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue())
                        .as(new String(p.getInputStream().readAllBytes()))
                        .isZero();
            }

            String config = CliRunner.run("throttlegrouplist", guest.name(), "--inactive")
                    .out();
            String live = guest.liveXml();
            for (String who : List.of("a", "b")) {
                for (int i = 0; i < 25; i++) {
                    assertThat(config).as("config has " + who + i).contains("\n " + who + i + "\n");
                    assertThat(live).as("live record has " + who + i).contains(">" + who + i + "<");
                }
            }
            assertThat(guest.throttleGroupObjects()).hasSize(50);
        }
    }
}
