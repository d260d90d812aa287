package org.virtthrottle.app;

import java.util.List;
import java.util.Map;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.plan.Step;

/** A plan's steps as text, for assertions that read like a --dry-run. */
final class PlanLines {
    private PlanLines() {}

    static List<String> names(Plan plan) {
        return plan.steps().stream().map(Step::name).toList();
    }

    /** What each step does, as --dry-run prints it (QMP as the JSON text sent). */
    static List<String> applied(Plan plan) {
        return plan.steps().stream().map(s -> s.apply().describe()).toList();
    }

    /** What undoes each step; "-" for a step without undo. */
    static List<String> undone(Plan plan) {
        return plan.steps().stream()
                .map(s -> s.undo() == null ? "-" : s.undo().describe())
                .toList();
    }

    static ThrottleLimits limits(LimitField field, long value) {
        return ThrottleLimits.of(Map.of(field, value));
    }

    static ThrottleLimits limits(LimitField field, long value, LimitField other, long otherValue) {
        return ThrottleLimits.of(Map.of(field, value, other, otherValue));
    }
}
