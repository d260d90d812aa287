package org.virtthrottle.app;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.plan.Step;

/**
 * Applies a plan step by step. When a step fails, the steps already done are undone in reverse,
 * so nothing half-applied remains; the error names the failed step and its cause.
 */
public final class PlanRunner {
    private PlanRunner() {
    }

    public static void run(Plan plan, ActionExecutor executor) {
        Deque<Step> done = new ArrayDeque<>();
        for (Step step : plan.steps()) {
            try {
                executor.execute(step.apply());
            } catch (RuntimeException failure) {
                throw new StepFailedException(failureMessage(plan, step, failure, undo(done, executor)), failure);
            }
            done.push(step);
        }
    }

    /** Undoes the done steps, newest first; returns the failures of undo steps. */
    private static List<String> undo(Deque<Step> done, ActionExecutor executor) {
        List<String> undoFailures = new ArrayList<>();
        for (Step step : done) {
            if (step.undo() == null) {
                continue;
            }
            try {
                executor.execute(step.undo());
            } catch (RuntimeException e) {
                undoFailures.add("undo of '" + step.name() + "' failed: " + e.getMessage());
            }
        }
        return undoFailures;
    }

    private static String failureMessage(Plan plan, Step step, RuntimeException failure, List<String> undoFailures) {
        StringBuilder b = new StringBuilder();
        if (plan.steps().size() > 1) {
            b.append("step ").append(plan.steps().indexOf(step) + 1).append('/').append(plan.steps().size())
                    .append(" '").append(step.name()).append("' failed: ");
        }
        b.append(failure.getMessage());
        if (!undoFailures.isEmpty()) {
            b.append("; ").append(String.join("; ", undoFailures)).append(" (state left partly changed)");
        }
        return b.toString();
    }
}
