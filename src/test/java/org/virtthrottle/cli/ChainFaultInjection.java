package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.app.ActionExecutor;
import org.virtthrottle.qmp.QmpTransport;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.GuestState;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestHost;

/**
 * A failure at any point of attach / re-chain / detach leaves the QEMU graph, the live XML and the
 * persistent XML exactly as before, and the guest running. Failures are injected (a) as a QEMU error
 * for the Nth QMP command (reads included), (b) as a failure of the Nth step (libvirt attach/detach and
 * metadata writes included), for N = 1, 2, ... until the command gets through. Subclasses say on
 * which guest (disks in the main loop, or in an IOThread) and how many steps each command has there.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ChainFaultInjection {
    private final TestGuest guest;
    private final String dom;
    private String image;

    /**
     * Tests on the guest of {@code classGuest}, the subclass's {@code @RegisterExtension} field;
     * attach-disk puts sdb on its scsi controller 0.
     */
    ChainFaultInjection(ClassGuest<TestGuest> classGuest) {
        guest = classGuest.guest();
        dom = guest.name();
    }

    /** Steps of adding one filter to a disk of that guest. */
    abstract int stepsPerFilter();

    @BeforeAll
    void setUp() {
        for (String g : List.of("a", "b", "c")) {
            assertThat(CliRunner.run(CliRunner.argv(
                                    "throttlegroupset " + dom + " " + g + " --total-iops-sec 500 --live --config"))
                            .exitCode())
                    .isZero();
        }
        image = TestHost.createImage(dom + "-sdb.qcow2", "qcow2", "16M").toString();
    }

    private static UnaryOperator<QmpTransport> failingQmp(int n) {
        int[] count = {0};
        return transport -> command -> ++count[0] == n
                ? "{\"error\":{\"class\":\"GenericError\",\"desc\":\"injected failure of QMP command " + n + "\"}}"
                : transport.send(command);
    }

    private static UnaryOperator<ActionExecutor> failingStep(int n) {
        int[] count = {0};
        return executor -> action -> {
            if (++count[0] == n) {
                throw new VirtThrottleException("injected failure of step " + n);
            }
            executor.execute(action);
        };
    }

    /** Fails the Nth injection point for N = 1.. until the command succeeds; returns how many failed. */
    private int failEachPointUntilSuccess(
            Function<Integer, CliRunner.Result> runFailingAt, Consumer<GuestState> afterSuccess) {
        for (int n = 1; n < 100; n++) {
            GuestState before = guest.state();
            CliRunner.Result r = runFailingAt.apply(n);
            if (r.exitCode() == 0) {
                afterSuccess.accept(before);
                return n - 1;
            }
            assertThat(r.err()).as("failure " + n).startsWith("error: ").contains("injected failure");
            assertThat(guest.state())
                    .as("state after injected failure " + n + ": " + r.err())
                    .isEqualTo(before);
            assertThat(guest.qmp("{\"execute\":\"query-status\"}")
                            .path("status")
                            .asText())
                    .as("guest after failure " + n)
                    .isEqualTo("running");
        }
        throw new AssertionError("never succeeded");
    }

    private String[] attach() {
        return new String[] {
            "attach-disk",
            dom,
            image,
            "sdb",
            "--targetbus",
            "scsi",
            "--subdriver",
            "qcow2",
            "--throttle-groups",
            "a,b",
            "--live",
            "--config"
        };
    }

    private void detachForNextRound() {
        assertThat(CliRunner.run("detach-disk", dom, "sdb", "--live", "--config")
                        .exitCode())
                .isZero();
    }

    @Test
    void attachUndoesEverythingWhereverItFails() {
        int qmpPoints =
                failEachPointUntilSuccess(n -> CliRunner.run(failingQmp(n), attach()), before -> detachForNextRound());
        int steps = failEachPointUntilSuccess(
                n -> CliRunner.runWithExecutor(failingStep(n), attach()), before -> detachForNextRound());

        assertThat(qmpPoints).as("QMP commands of an attach with two groups").isGreaterThanOrEqualTo(6);
        assertThat(steps)
                .as("attach, 2 filters, switch, 2 metadata records, config attach")
                .isEqualTo(5 + 2 * stepsPerFilter());
    }

    @Test
    void rechainUndoesEverythingWhereverItFails() {
        assertThat(CliRunner.run(attach()).exitCode()).isZero();
        try {
            String[] rechain = {"throttlefilterset", dom, "sdb", "c,b", "--live", "--config"};
            String[] back = {"throttlefilterset", dom, "sdb", "a,b", "--live", "--config"};
            int qmpPoints = failEachPointUntilSuccess(
                    n -> CliRunner.run(failingQmp(n), rechain),
                    before -> assertThat(CliRunner.run(back).exitCode()).isZero());
            int steps = failEachPointUntilSuccess(
                    n -> CliRunner.runWithExecutor(failingStep(n), rechain),
                    before -> assertThat(CliRunner.run(back).exitCode()).isZero());

            assertThat(qmpPoints).isGreaterThanOrEqualTo(6);
            assertThat(steps)
                    .as("2 filters, switch, 2 deletions, one record of both sides (the same before and after)")
                    .isEqualTo(4 + 2 * stepsPerFilter());
        } finally {
            detachForNextRound();
        }
    }

    @Test
    void detachChangesNothingUntilTheLiveDetachAndReconcileFinishesWhatFailsAfterIt() {
        List<String> withoutSdb = guest.state().blockNodes();
        assertThat(CliRunner.run(attach()).exitCode()).isZero();
        int qmpPoints = failEachDetachPoint(
                n -> CliRunner.run(failingQmp(n), "detach-disk", dom, "sdb", "--live", "--config"), withoutSdb);
        int steps = failEachDetachPoint(
                n -> CliRunner.runWithExecutor(failingStep(n), "detach-disk", dom, "sdb", "--live", "--config"),
                withoutSdb);

        assertThat(qmpPoints).isGreaterThanOrEqualTo(8);
        assertThat(steps)
                .as("config detach, record, live detach; then 2 filters, libvirt's 2 nodes, record")
                .isEqualTo(8);
        detachForNextRound();
        assertThat(guest.state().blockNodes()).isEqualTo(withoutSdb);
    }

    /**
     * Fails the Nth point of a detach for N = 1.. until it succeeds. Up to the live detach a failure
     * changes nothing; after it the disk is gone and reconcile deletes what is left of it in QEMU.
     */
    private int failEachDetachPoint(Function<Integer, CliRunner.Result> runFailingAt, List<String> withoutSdb) {
        for (int n = 1; n < 100; n++) {
            GuestState before = guest.state();
            CliRunner.Result r = runFailingAt.apply(n);
            if (r.exitCode() == 0) {
                assertThat(guest.state().blockNodes()).as("nothing of sdb left").isEqualTo(withoutSdb);
                assertThat(CliRunner.run(attach()).exitCode()).isZero();
                return n - 1;
            }
            assertThat(r.err()).as("failure " + n).startsWith("error: ").contains("injected failure");
            if (r.err().contains("is detached, but deleting what is left of it in QEMU failed")) {
                assertThat(guest.liveXml()).doesNotContain("dev='sdb'");
                assertThat(CliRunner.run("reconcile", dom).exitCode()).isZero();
                assertThat(guest.state().blockNodes())
                        .as("after reconcile, failure " + n)
                        .isEqualTo(withoutSdb);
                assertThat(CliRunner.run(attach()).exitCode()).isZero();
            } else {
                assertThat(guest.state())
                        .as("state after injected failure " + n + ": " + r.err())
                        .isEqualTo(before);
            }
            assertThat(guest.qmp("{\"execute\":\"query-status\"}")
                            .path("status")
                            .asText())
                    .isEqualTo("running");
        }
        throw new AssertionError("never succeeded");
    }
}
