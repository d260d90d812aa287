package org.virtthrottle.cli.output;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.virtthrottle.app.Change;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.app.Reconcile;
import org.virtthrottle.cli.command.Subcommand;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.plan.Step;

/** Runs a plan, or with --dry-run prints it; then confirms as virsh does. */
public final class PlanOutput {
    private PlanOutput() {}

    /**
     * Reconcile's and apply's words for one domain: {@code unchanged} when the caller says there is
     * nothing to do (null: no such line), each change (with --dry-run, what would change, then the
     * plan), and the drift left.
     */
    public static void changes(Output out, Reconcile.Result result, boolean dryRun, String unchanged) {
        String prefix = result.domain() + ": " + (dryRun ? "would: " : "");
        if (unchanged != null) {
            out.line(result.domain() + ": " + unchanged);
        }
        result.changes().forEach(c -> out.line(prefix + c));
        result.drift().forEach(d -> out.line(result.domain() + ": drift: " + d));
        if (dryRun && !result.inSync()) {
            out.text(result.plan().describe());
        }
    }

    public static int applyOrPrint(Subcommand command, DomainSession session, Change change, String confirmation) {
        Output out = command.output();
        Plan plan = change.preview();
        if (command.dryRun()) {
            if (out.json()) {
                ObjectNode o = out.document(session.name(), null);
                o.put("dry_run", true);
                ArrayNode steps = o.putArray("plan");
                for (Step s : plan.steps()) {
                    ObjectNode step = steps.addObject();
                    step.put("step", s.name());
                    step.put("apply", s.apply().describe());
                    if (s.undo() != null) {
                        step.put("undo", s.undo().describe());
                    }
                }
                out.json(o);
            } else {
                out.text(plan.describe());
            }
            return 0;
        }
        change.apply(session);
        if (out.json()) {
            ObjectNode o = out.document(session.name(), null);
            if (confirmation != null) {
                o.put("result", confirmation);
            }
            o.put("steps", plan.steps().size());
            out.json(o);
        } else if (confirmation != null) {
            out.message(confirmation);
        }
        return 0;
    }
}
