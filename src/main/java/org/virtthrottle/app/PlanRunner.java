package org.virtthrottle.app;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.plan.Step;

/**
 * Applies a plan step by step. When a step fails, the steps already done are undone in reverse,
 * so nothing half-applied remains; the error names the failed step and its cause.
 */
public final class PlanRunner {
    /** Told of each step done; nothing in production sets it (see {@link #afterEachStep}). */
    private static volatile Consumer<Step> stepDone = step -> {};

    private PlanRunner() {}

    /**
     * Crash-point tests only (see ARCHITECTURE.md, "Crash points"): their own main class, which is not
     * in the jar, sets this before virt-throttle's main to park the process after step k and kill it.
     */
    public static void afterEachStep(Consumer<Step> listener) {
        stepDone = listener;
    }

    public static void run(Plan plan, ActionExecutor executor) {
        Deque<Step> done = new ArrayDeque<>();
        runSteps(plan.steps(), 0, plan.steps().size(), done, executor);
    }

    /**
     * Applies {@code first}, then the plan {@code rest} computes from the state {@code first} left
     * (e.g. the node names libvirt gave a disk it just attached). A failure anywhere undoes both.
     */
    public static void runStaged(Plan first, Supplier<Plan> rest, ActionExecutor executor) {
        Deque<Step> done = new ArrayDeque<>();
        runSteps(first.steps(), 0, first.steps().size(), done, executor);
        Plan second;
        try {
            second = rest.get();
        } catch (RuntimeException failure) {
            List<String> undoFailures = undo(done, executor);
            throw new StepFailedException(
                    withUndoFailures(
                            "reading the state after '" + last(first) + "' failed: " + failure.getMessage(),
                            undoFailures),
                    failure);
        }
        int total = first.steps().size() + second.steps().size();
        runSteps(second.steps(), first.steps().size(), total, done, executor);
    }

    private static void runSteps(List<Step> steps, int offset, int total, Deque<Step> done, ActionExecutor executor) {
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            try {
                executor.execute(step.apply());
            } catch (RuntimeException failure) {
                List<String> undoFailures = undo(done, executor);
                String where =
                        total > 1 ? "step " + (offset + i + 1) + "/" + total + " '" + step.name() + "' failed: " : "";
                throw new StepFailedException(withUndoFailures(where + failure.getMessage(), undoFailures), failure);
            }
            done.push(step);
            stepDone.accept(step);
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
        done.clear();
        return undoFailures;
    }

    private static String withUndoFailures(String message, List<String> undoFailures) {
        return undoFailures.isEmpty()
                ? message
                : message + "; " + String.join("; ", undoFailures) + " (state left partly changed)";
    }

    private static String last(Plan plan) {
        return plan.isEmpty()
                ? "start"
                : plan.steps().get(plan.steps().size() - 1).name();
    }
}
