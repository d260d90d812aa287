package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.virtthrottle.testing.Terminal;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestHost;
import org.virtthrottle.testing.TestLauncher;

/** throttlestat in the interactive shell samples until Ctrl-C, which stops it and leaves the shell running. */
@Tag("integration")
class ThrottleStatShellIT {
    @Test
    void inTheShellItSamplesUntilCtrlCAndTheShellGoesOn() throws Exception {
        try (TestGuest guest = TestGuest.start();
                Terminal terminal = Terminal.start(
                        "vt-stat-shell-it",
                        Files.createTempDirectory("vt-state-"),
                        "env XDG_STATE_HOME=" + Files.createTempDirectory("vt-state-") + " LIBVIRT_DEFAULT_URI="
                                + TestHost.URI + " " + TestLauncher.script() + "; sleep 60")) {
            String dom = guest.name();
            CliRunner.Result set =
                    CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " g --total-iops-sec 5 --live"));
            assertThat(set.exitCode()).as(set.toString()).isZero();
            terminal.awaitScreen("virt-throttle ", 30);

            terminal.typeText("throttlestat " + dom);
            terminal.type("Enter");
            Pattern header = Pattern.compile("(?m)^" + Pattern.quote(dom) + ": [0-9.]+ s to ");
            terminal.await(s -> header.matcher(s).results().count() >= 3, "three samples", 30);
            terminal.type("C-c");
            terminal.typeText("throttlegrouplist " + dom);
            terminal.type("Enter");
            String screen = terminal.await(
                    s -> s.lines().anyMatch(l -> l.strip().equals("g")), "the group list after Ctrl-C", 30);

            long samples = header.matcher(screen).results().count();
            Thread.sleep(2500);
            assertThat(header.matcher(terminal.screen()).results().count())
                    .as("no sample after Ctrl-C:\n" + terminal.screen())
                    .isEqualTo(samples);
            assertThat(terminal.foregroundCommand()).as("the shell still runs").isNotEqualTo("sleep");
            assertThat(guest.isActive()).isTrue();
        }
    }
}
