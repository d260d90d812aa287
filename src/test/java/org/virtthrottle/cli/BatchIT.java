package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.TestGuest;

/** Batch mode: a script argument, -f FILE and stdin; the status covers every command. */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchIT {
    @RegisterExtension
    static final ClassGuest<TestGuest> GUEST = ClassGuest.startedBy(() -> TestGuest.start());

    private final TestGuest guest = GUEST.guest();
    private final String dom = guest.name();

    @BeforeAll
    void prepareGuest() {
        FailingLineThenChange.prepare(guest);
    }

    @Test
    void aFailureInTheMiddleMakesTheStatusNonZeroButLaterCommandsStillRun() {
        CliRunner.Result r = CliRunner.launch(
                "",
                "throttlegroupset " + dom + " b1 --total-iops-sec 5 --live; " + "throttlegroupinfo " + dom
                        + " nosuch; throttlegroupset " + dom + " b2 --total-iops-sec 6 --live");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo(
                        "error: line 1, command 2: throttlegroupinfo: throttle group 'nosuch' not found in the running domain\n");
        assertThat(guest.throttleGroupObjects()).contains("throttle-b1", "throttle-b2");
    }

    @Test
    void stopOnErrorStopsAtTheFirstFailure() {
        CliRunner.Result r = CliRunner.launch(
                "",
                "--stop-on-error",
                "throttlegroupinfo " + dom + " nosuch\nthrottlegroupset " + dom + " never --total-iops-sec 6 --live");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: line 1: throttlegroupinfo: ");
        assertThat(guest.throttleGroupObjects()).doesNotContain("throttle-never");
    }

    @Test
    void commandsOnStdinRunInOrderAndAllSucceed() {
        String script = "# set, then read back\nthrottlegroupset " + dom + " s1 --read-iops-sec 11 --live\n"
                + "throttlegroupinfo " + dom + " s1 ; throttlegrouplist " + dom + "\n";

        CliRunner.Result r = CliRunner.launch(script);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .startsWith("Throttle group set successfully\n\nread_iops_sec  : 11\n\n Name\n")
                .contains("\n s1\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aScriptFileNamesTheFileInErrorsAndQuitEndsIt() throws Exception {
        Path file = Files.createTempFile("vt-batch", ".vt");
        Files.writeString(
                file,
                "throttlegroupset " + dom + " f1 --total-iops-sec x --live\nquit\nthrottlegroupset " + dom
                        + " f2 --live\n");

        CliRunner.Result r = CliRunner.launch("", "-f", file.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err())
                .isEqualTo("error: " + file
                        + " line 1: throttlegroupset: Numeric value 'x' for <total-iops-sec> option is malformed or out of range\n"
                        + "error: " + file + " line 1: throttlegroupset: Unable to parse integer parameter\n");
        assertThat(guest.throttleGroupObjects()).doesNotContain("throttle-f2");
    }

    @Test
    void anUnknownCommandIsAUsageErrorNamingIt() {
        CliRunner.Result r = CliRunner.launch("", "throttlegroupinfo " + dom + " x; frobnicate " + dom);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("error: line 1, command 2: unknown command: 'frobnicate'");
    }

    @Test
    void jsonErrorsSayWhereTheyHappened() {
        CliRunner.Result r = CliRunner.launch("throttlegroupinfo " + dom + " nope\n", "--json");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo("{\"error\":\"throttle group 'nope' not found in the running domain\","
                        + "\"command\":\"throttlegroupinfo\",\"where\":\"line 1\"}\n");
    }

    @ParameterizedTest
    @CsvSource({"PARSE_ERROR, sdb", "HELP, sdc", "VALIDATION_ERROR, sdd", "LIBVIRT_ERROR, sde"})
    void nothingOfALineThatFailedOrAskedForHelpReachesTheNextChange(
            FailingLineThenChange.Failure failure, String target) {
        FailingLineThenChange scenario = new FailingLineThenChange(failure, dom, target);

        CliRunner.Result r = CliRunner.launch(String.join("\n", scenario.lines()) + "\n");

        assertThat(r.err().lines()).as(r.toString()).hasSize(scenario.errorLines());
        assertThat(r.exitCode() != 0).as(r.toString()).isEqualTo(scenario.failingLines() > 0);
        scenario.assertEachChangeIsItsOwnLine(guest);
    }

    @Test
    void dryRunBeforeABatchAppliesToEachChangingCommandAndReadOnlyOnesRunAsUsual() {
        CliRunner.Result r = CliRunner.launch(
                "",
                "--dry-run",
                "throttlegroupset " + dom + " dr1 --total-iops-sec 1 --live; " + "throttlegrouplist " + dom
                        + "; throttlegroupdel " + dom + " a --live");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("qmp {\"execute\":\"object-add\"")
                .contains(" Name\n")
                .contains("object-del");
        assertThat(guest.throttleGroupObjects()).doesNotContain("throttle-dr1").contains("throttle-a");

        CliRunner.Result afterReadOnly = CliRunner.launch("", "throttlegrouplist " + dom + " --dry-run");
        assertThat(afterReadOnly.exitCode()).isEqualTo(2);
        assertThat(afterReadOnly.err())
                .isEqualTo(
                        "error: line 1: throttlegrouplist: command 'throttlegrouplist' doesn't support option --dry-run\n");
    }

    @Test
    void connectSwitchesTheConnectionForTheCommandsAfterIt() {
        CliRunner.Result r =
                CliRunner.launch("", "connect test:///default; list --name; connect qemu:///system; list --name");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("test\n").contains(dom + "\n");
    }
}
