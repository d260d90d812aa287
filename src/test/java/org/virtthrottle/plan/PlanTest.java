package org.virtthrottle.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.qmp.QmpCommand;

class PlanTest {

    private static final DomainThrottleConfig ONE_GROUP = DomainThrottleConfig.EMPTY.withGroup(
            new ThrottleGroup("db", ThrottleLimits.of(Map.of(LimitField.TOTAL_IOPS_SEC, 100L))));

    private static Step deleteObject(String id) {
        return new Step("delete QEMU object " + id, new Action.Qmp(QmpCommand.objectDel(id)), null);
    }

    @Test
    void emptyPlanHasNothingToChange() {
        Plan empty = new Plan(List.of());

        assertThat(empty.isEmpty()).isTrue();
        assertThat(empty.describe()).isEqualTo("nothing to change\n");
    }

    @Test
    void stepsAreNumberedFromOneWithTheirUndo() {
        Plan plan = new Plan(List.of(
                new Step(
                        "remove config metadata",
                        new Action.WriteMetadata(Side.CONFIG, DomainThrottleConfig.EMPTY),
                        new Action.Qmp(QmpCommand.qomList("/objects"))),
                deleteObject("throttle-db")));

        assertThat(plan.describe())
                .isEqualTo(
                        """
                1. remove config metadata
                   metadata --config --remove
                   undo: qmp {"execute":"qom-list","arguments":{"path":"/objects"}}
                2. delete QEMU object throttle-db
                   qmp {"execute":"object-del","arguments":{"id":"throttle-db"}}
                """);
    }

    @Test
    void multiLineActionsAreIndentedUnderTheirStep() {
        Plan plan = new Plan(List.of(new Step(
                "store live metadata",
                new Action.WriteMetadata(Side.LIVE, ONE_GROUP),
                new Action.WriteMetadata(Side.LIVE, null))));

        assertThat(plan.describe())
                .isEqualTo(
                        """
                1. store live metadata
                   metadata --live
                     <throttle>
                       <throttlegroups>
                         <throttlegroup>
                           <total_iops_sec>100</total_iops_sec>
                           <group_name>db</group_name>
                         </throttlegroup>
                       </throttlegroups>
                     </throttle>
                   undo: metadata --live --remove
                """);
    }

    @Test
    void thenAppendsTheSecondPlansStepsAfterTheFirsts() {
        Step a = deleteObject("throttle-a");
        Step b = deleteObject("throttle-b");
        Step c = deleteObject("throttle-c");
        Plan first = new Plan(List.of(a, b));
        Plan second = new Plan(List.of(c));

        Plan both = first.then(second);

        assertThat(both.steps()).containsExactly(a, b, c);
        assertThat(first.steps()).containsExactly(a, b);
        assertThat(second.steps()).containsExactly(c);
        assertThat(both.describe())
                .startsWith("1. delete QEMU object throttle-a\n")
                .contains("\n3. delete QEMU object throttle-c\n");
    }

    @Test
    void thenWithEmptyPlansKeepsTheSteps() {
        Plan one = new Plan(List.of(deleteObject("throttle-a")));
        Plan empty = new Plan(List.of());

        assertThat(one.then(empty).steps()).isEqualTo(one.steps());
        assertThat(empty.then(one).steps()).isEqualTo(one.steps());
        assertThat(empty.then(empty).isEmpty()).isTrue();
    }

    @Test
    void planDoesNotFollowChangesToTheCallersList() {
        List<Step> steps = new ArrayList<>(List.of(deleteObject("throttle-a")));
        Plan plan = new Plan(steps);

        steps.add(deleteObject("throttle-b"));

        assertThat(plan.steps()).hasSize(1);
    }
}
