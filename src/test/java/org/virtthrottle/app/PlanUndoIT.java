package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.libvirt.LibvirtConnection;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.LimitsUpdate;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.GuestState;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestHost;

/**
 * A failure at any step of a real plan leaves the guest exactly as before: QEMU objects and limits,
 * live XML and persistent XML. The failure is injected in front of the real executor.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanUndoIT {
    private static final AffectedSides LIVE_AND_CONFIG = new AffectedSides(true, true, false);

    @RegisterExtension
    static final ClassGuest<TestGuest> GUEST = ClassGuest.startedBy(() -> TestGuest.start());

    private final TestGuest guest = GUEST.guest();
    private LibvirtConnection connection;

    @BeforeAll
    void connect() {
        connection = LibvirtConnection.open(TestHost.URI, false, s -> {});
    }

    @AfterAll
    void disconnect() {
        connection.close();
    }

    private DomainSession session() {
        return new DomainSessions(connection, s -> {}).open(guest.name());
    }

    private static LimitsUpdate iops(long value) {
        return LimitsUpdate.of(Map.of(LimitField.TOTAL_IOPS_SEC, value));
    }

    /** Runs the plan with step {@code failAt} (0-based) failing, and checks nothing changed. */
    private void assertFailureAtEveryStepIsUndone(Function<DomainSession, Plan> planner) {
        int steps = planner.apply(session()).steps().size();
        assertThat(steps).as("a multi-step plan").isGreaterThan(1);
        for (int failAt = 0; failAt < steps; failAt++) {
            GuestState before = guest.state();
            DomainSession session = session();
            Plan plan = planner.apply(session);
            int target = failAt;
            int[] count = {0};
            String failedStep = plan.steps().get(failAt).name();

            assertThatThrownBy(() -> PlanRunner.run(plan, action -> {
                        if (count[0]++ == target) {
                            throw new VirtThrottleException("injected failure");
                        }
                        session.executor().execute(action);
                    }))
                    .isInstanceOf(StepFailedException.class)
                    .hasMessage(
                            "step " + (failAt + 1) + "/" + steps + " '" + failedStep + "' failed: injected failure");

            assertThat(guest.state())
                    .as("state after a failure at step " + (failAt + 1))
                    .isEqualTo(before);
        }
    }

    @Test
    void creatingAGroupLiveAndInConfigIsUndoneAtEveryStep() {
        assertFailureAtEveryStepIsUndone(s ->
                SetThrottleGroup.plan(s, "fresh", iops(10), LIVE_AND_CONFIG).preview());
    }

    @Test
    void updatingAGroupLiveAndInConfigIsUndoneAtEveryStep() {
        SetThrottleGroup.plan(session(), "existing", iops(10), LIVE_AND_CONFIG).apply(session());
        assertFailureAtEveryStepIsUndone(s -> SetThrottleGroup.plan(
                        s, "existing", LimitsUpdate.of(Map.of(LimitField.READ_BYTES_SEC, 4096L)), LIVE_AND_CONFIG)
                .preview());
    }

    @Test
    void deletingAGroupLiveAndInConfigIsUndoneAtEveryStep() {
        SetThrottleGroup.plan(session(), "doomed", iops(33), LIVE_AND_CONFIG).apply(session());
        assertFailureAtEveryStepIsUndone(
                s -> DeleteThrottleGroup.plan(s, "doomed", LIVE_AND_CONFIG).preview());
        assertThat(guest.qomLimits("throttle-doomed").get("iops-total").asLong())
                .isEqualTo(33);
    }

    @Test
    void aGroupCreatedBehindOurBackIsUpdatedInsteadOfRefused() {
        GuestState before = guest.state();
        DomainSession session = session();
        Change change = SetThrottleGroup.plan(session, "refused", iops(10), LIVE_AND_CONFIG);
        // another client creates the same object between planning and applying
        guest.qmp(
                "{\"execute\":\"object-add\",\"arguments\":{\"qom-type\":\"throttle-group\",\"id\":\"throttle-refused\"}}");
        try {
            // object-add fails (duplicate), the plan is made again from QEMU's values: qom-set then
            change.apply(session);
            assertThat(guest.qomLimits("throttle-refused").get("iops-total").asLong())
                    .isEqualTo(10);
            assertThat(guest.inactiveXml()).isNotEqualTo(before.inactiveXml());
        } finally {
            guest.qmp("{\"execute\":\"object-del\",\"arguments\":{\"id\":\"throttle-refused\"}}");
        }
    }
}
