package org.virtthrottle.cli.output;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.virtthrottle.app.Change;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.cli.command.Subcommand;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.plan.Step;

/** Runs a plan, or with --dry-run prints it; then confirms as virsh does. */
public final class PlanOutput {
    private PlanOutput() {}

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
            o.put("result", confirmation);
            o.put("steps", plan.steps().size());
            out.json(o);
        } else {
            out.message(confirmation);
        }
        return 0;
    }
}
