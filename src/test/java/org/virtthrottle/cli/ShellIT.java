package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.Terminal;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestHost;
import org.virtthrottle.testing.TestLauncher;

/** The interactive shell in a real pseudo-terminal (tmux), typed at as a person would. */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShellIT {
    private static final String SESSION = "vt-shell-it";

    @RegisterExtension
    static final ClassGuest<TestGuest> GUEST = ClassGuest.startedBy(() -> TestGuest.start());

    private final TestGuest guest = GUEST.guest();
    private Path state;
    private Terminal terminal;

    @BeforeAll
    void prepareGuestAndState() throws Exception {
        state = Files.createTempDirectory("vt-state-");
        FailingLineThenChange.prepare(guest);
    }

    @AfterEach
    void killTmux() {
        if (terminal != null) {
            terminal.close();
        }
    }

    private void startShell() {
        // "; sleep" keeps the pane readable after the shell exits
        terminal = Terminal.start(
                SESSION,
                state,
                "env XDG_STATE_HOME=" + state + " LIBVIRT_DEFAULT_URI=" + TestHost.URI + " " + TestLauncher.script()
                        + "; sleep 60");
        awaitScreen("virt-throttle ", 30);
    }

    private String awaitScreen(String text, int seconds) {
        return terminal.awaitScreen(text, seconds);
    }

    /** Waits until the shell process has ended and the pane runs the trailing sleep. */
    private void awaitShellExit(int seconds) {
        terminal.await(s -> terminal.foregroundCommand().equals("sleep"), "the shell's exit on Ctrl-D", seconds);
    }

    @Test
    void tabCompletesADomainNameThenSemicolonSeparatedCommandsRunInOrder() {
        startShell();
        String partial = guest.name().substring(0, guest.name().length() - 3);
        terminal.type("throttlegroupset " + partial, "Tab");
        // TAB completed the name and added a space (capture-pane trims it from the screen)
        awaitScreen("throttlegroupset " + guest.name(), 20);

        terminal.type(
                "tab1 --total-iops-sec 4 --live; throttlegroupinfo " + guest.name() + " tab1; throttlegrouplist "
                        + guest.name(),
                "Enter");
        String s = awaitScreen(" tab1\n", 20);

        assertThat(s.indexOf("Throttle group set successfully"))
                .isPositive()
                .isLessThan(s.indexOf("total_iops_sec : 4"))
                .isLessThan(s.indexOf(" Name\n"));
        assertThat(guest.qomLimits("throttle-tab1").get("iops-total").asLong()).isEqualTo(4);
    }

    @ParameterizedTest
    @CsvSource({"PARSE_ERROR, sdb", "HELP, sdc", "VALIDATION_ERROR, sdd", "LIBVIRT_ERROR, sde"})
    void nothingOfALineThatFailedOrAskedForHelpReachesTheNextChange(
            FailingLineThenChange.Failure failure, String target) {
        FailingLineThenChange scenario = new FailingLineThenChange(failure, guest.name(), target);
        startShell();

        for (String line : scenario.lines()) {
            terminal.typeText(line);
            terminal.type("Enter");
        }
        terminal.typeText("throttlegroupinfo " + guest.name() + " " + scenario.setGroup());
        terminal.type("Enter");
        awaitScreen("read_bytes_sec : 1048576", 60);

        scenario.assertEachChangeIsItsOwnLine(guest);
    }

    @Test
    void helpDescribesTheShellItsCommandsQuitAndExitNotTheToolsOwnOptions() {
        startShell();
        terminal.type("help", "Enter");
        String s = awaitScreen("quit, exit", 20);

        assertThat(s)
                .contains("throttlegroupset, domthrottlegroupset", "Add a throttle group, or update an existing one.")
                .doesNotContain("--sandbox", "--file", "COMMANDS");
    }

    @Test
    void historySurvivesARestartAndCtrlDLeaves() {
        startShell();
        String command = "throttlegrouplist " + guest.name() + " --inactive";
        terminal.type(command, "Enter");
        awaitScreen(" Name\n", 20);
        terminal.type("C-d");
        awaitShellExit(10);
        killTmux();

        startShell();
        terminal.type("Up");
        String s = awaitScreen(command, 10);
        assertThat(s).contains("virt-throttle # " + command);
    }
}
