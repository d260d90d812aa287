package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.Terminal;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestHost;
import org.virtthrottle.testing.TestLauncher;

/**
 * completions/virt-throttle.bash in a real interactive bash (tmux), typed at with TAB, with and
 * without Debian's bash-completion package loaded. The launcher is on PATH as virt-throttle, and
 * $LIBVIRT_DEFAULT_URI is test:///default, where the test guest does not exist: a live name
 * completed after -c URI came from that URI.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BashCompletionIT {
    private static final String BASH_COMPLETION = "/usr/share/bash-completion/bash_completion";
    private static final String PROMPT = "vt$ ";
    private static final int LIVE_SECONDS = 40;

    @RegisterExtension
    static final ClassGuest<TestGuest> GUEST = ClassGuest.startedBy(() -> TestGuest.start());

    private final String dom = GUEST.guest().name();
    private Path workDir;
    private Terminal terminal;

    @BeforeAll
    void createGroupsAndFiles() throws Exception {
        assertThat(Path.of(BASH_COMPLETION))
                .as("bin/host-setup installs bash-completion")
                .exists();
        for (String g : List.of("alpha", "beta")) {
            assertThat(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " " + g + " --total-iops-sec 5 --live"))
                            .exitCode())
                    .isZero();
        }
        workDir = Files.createTempDirectory("vt-bash-");
        Files.writeString(workDir.resolve("batch-one.txt"), "list\n");
        Files.writeString(workDir.resolve("disk-image.qcow2"), "");
    }

    @AfterEach
    void closeTerminal() {
        if (terminal != null) {
            terminal.close();
        }
    }

    /** An interactive bash with the script sourced (after bash-completion when asked), at an empty prompt. */
    private void startBash(boolean withBashCompletion) {
        terminal = Terminal.start(
                "vt-bash-it",
                workDir,
                "env PATH=" + TestLauncher.script().getParent() + ":$PATH"
                        + " LIBVIRT_DEFAULT_URI=test:///default TERM=xterm bash --noprofile --norc -i");
        terminal.type(
                "PS1='" + PROMPT + "'; " + (withBashCompletion ? "source " + BASH_COMPLETION + "; " : "") + "source "
                        + BashCompletionScriptTest.SCRIPT.toAbsolutePath() + "; clear",
                "Enter");
        terminal.awaitLine(PROMPT.strip(), 10);
    }

    /** Erases the line being typed (end of line, then kill back to its start) and clears the screen. */
    private void newLine() {
        terminal.type("C-e", "C-u");
        terminal.type("clear", "Enter");
        terminal.await(s -> s.strip().equals(PROMPT.strip()), "an empty prompt", 10);
    }

    /** Types {@code typed} and TAB; the line must read {@code completed}; then starts a new line. */
    private void tabCompletes(String typed, String completed, int seconds) {
        terminal.type(typed, "Tab");
        terminal.awaitLine(PROMPT + completed, seconds);
        newLine();
    }

    private String partialDomain() {
        return dom.substring(0, dom.length() - 2);
    }

    @ParameterizedTest(name = "bash-completion loaded: {0}")
    @ValueSource(booleans = {false, true})
    void theDomainComesFromTheConnectionOfDashCInEachSpelling(boolean withBashCompletion) {
        startBash(withBashCompletion);
        for (String connect : List.of("-c " + TestHost.URI, "--connect " + TestHost.URI, "--connect=" + TestHost.URI)) {
            String line = "virt-throttle " + connect + " throttlegroupinfo ";
            tabCompletes(line + partialDomain(), line + dom, LIVE_SECONDS);
        }
        // the groups of that domain on that connection, after a second TAB
        String line = "virt-throttle -c " + TestHost.URI + " throttlegroupinfo " + dom + " ";
        terminal.type(line, "Tab", "Tab");
        String screen = terminal.await(
                s -> s.lines().anyMatch(l -> l.matches("alpha\\s+beta")), "alpha and beta listed", LIVE_SECONDS);
        assertThat(screen).contains(PROMPT + line.strip());
    }

    @ParameterizedTest(name = "bash-completion loaded: {0}")
    @ValueSource(booleans = {false, true})
    void withoutDashCTheDefaultConnectionIsAsked(boolean withBashCompletion) {
        startBash(withBashCompletion);
        // test:///default has one domain, "test"; the guest is not there
        tabCompletes("virt-throttle throttlegroupinfo t", "virt-throttle throttlegroupinfo test", LIVE_SECONDS);
    }

    @ParameterizedTest(name = "bash-completion loaded: {0}")
    @ValueSource(booleans = {false, true})
    void urisAfterDashCNotCommandNames(boolean withBashCompletion) {
        startBash(withBashCompletion);
        terminal.type("virt-throttle -c ", "Tab", "Tab");
        String screen = terminal.await(s -> s.contains("test:///default"), "the URIs listed", 10);
        assertThat(screen.lines().filter(l -> !l.startsWith(PROMPT)).toList())
                .anySatisfy(l -> assertThat(l.split("\\s+"))
                        .containsExactly("qemu:///session", "qemu:///system", "test:///default"));
        assertThat(screen).doesNotContain("throttlegroupinfo");
        newLine();

        tabCompletes("virt-throttle -c qemu:///sy", "virt-throttle -c qemu:///system", 10);
        tabCompletes("virt-throttle --connect=qemu:///se", "virt-throttle --connect=qemu:///session", 10);
    }

    @ParameterizedTest(name = "bash-completion loaded: {0}")
    @ValueSource(booleans = {false, true})
    void filesAfterDashFAndForTheSourceOfAttachDisk(boolean withBashCompletion) {
        startBash(withBashCompletion);
        terminal.type("virt-throttle -f ", "Tab", "Tab");
        String screen = terminal.await(s -> s.contains("disk-image.qcow2"), "the files listed", 10);
        assertThat(screen).contains("batch-one.txt").doesNotContain("throttlegroupinfo");
        newLine();
        tabCompletes("virt-throttle -f batch", "virt-throttle -f batch-one.txt", 10);
        String line = "virt-throttle -c " + TestHost.URI + " attach-disk " + dom + " ";
        tabCompletes(line + "disk-", line + "disk-image.qcow2", LIVE_SECONDS);
    }

    @ParameterizedTest(name = "bash-completion loaded: {0}")
    @ValueSource(booleans = {false, true})
    void commandsOptionsAndGroupListsAsBefore(boolean withBashCompletion) {
        startBash(withBashCompletion);
        String connect = "virt-throttle -c " + TestHost.URI;
        tabCompletes(connect + " throttlegroupi", connect + " throttlegroupinfo", 10);
        tabCompletes("virt-throttle attach-disk --throttle-g", "virt-throttle attach-disk --throttle-groups", 10);
        String line = "virt-throttle --connect=" + TestHost.URI + " throttlefilterset " + dom + " vda ";
        tabCompletes(line + "alpha,", line + "alpha,beta", LIVE_SECONDS);
    }

    @ParameterizedTest(name = "bash-completion loaded: {0}")
    @ValueSource(booleans = {false, true})
    void virshsNamedFormsCompleteLikeTheirPositionals(boolean withBashCompletion) {
        startBash(withBashCompletion);
        String line = "virt-throttle -c " + TestHost.URI + " throttlegroupinfo --domain ";
        tabCompletes(line + partialDomain(), line + dom, LIVE_SECONDS);
        String group = "virt-throttle -c " + TestHost.URI + " throttlegroupinfo --domain " + dom + " --group-name al";
        tabCompletes(group, group.substring(0, group.length() - 2) + "alpha", LIVE_SECONDS);
        String named = "virt-throttle -c " + TestHost.URI + " throttlegroupinfo --g";
        tabCompletes(named, named + "roup-name", 10);
    }
}
