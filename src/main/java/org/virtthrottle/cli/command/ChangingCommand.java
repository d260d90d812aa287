package org.virtthrottle.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.virtthrottle.app.Change;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.app.TierFile;
import org.virtthrottle.cli.output.HelpText;
import org.virtthrottle.cli.output.Output;
import org.virtthrottle.cli.output.PlanOutput;
import org.virtthrottle.model.Tier;
import org.virtthrottle.state.StateFile;
import picocli.CommandLine.Option;

/**
 * A command that changes domains or the host's tiers: it can print its plan instead (--dry-run, also
 * before the command).
 */
public abstract class ChangingCommand extends Subcommand {
    @Option(
            names = "--dry-run",
            order = HelpText.LAST_OPTION,
            description = "print the plan (XML changes and exact QMP commands, in order) and change nothing")
    boolean dryRunAsked;

    /**
     * Opens the domain for a change (read-only refusal, lock), plans it, then applies or prints it and
     * confirms as virsh does.
     *
     * @param changes what the change is, for the read-only refusal ("change throttle groups")
     */
    int change(DomainArgument domain, String changes, Function<DomainSession, Change> plan, String confirmation) {
        DomainSession session = domain(domain.name(), changes);
        return PlanOutput.applyOrPrint(this, session, plan.apply(session), confirmation);
    }

    /**
     * As {@link #change(DomainArgument, String, Function, String)}, a failure once the domain is open
     * headed by virsh's line for the libvirt call that would have failed there ({@code failedCall}).
     */
    int change(
            DomainArgument domain,
            String changes,
            Function<DomainSession, Change> plan,
            String confirmation,
            String failedCall) {
        DomainSession session = domain(domain.name(), changes);
        return FailedCall.headed(
                failedCall, () -> PlanOutput.applyOrPrint(this, session, plan.apply(session), confirmation));
    }

    /**
     * Writes the host's tiers file, or with --dry-run prints what it would hold, and confirms.
     *
     * @param details what the JSON confirmation adds to {"file", "result"}
     */
    int changeTiers(TierFile file, List<Tier> tiers, String confirmation, Consumer<ObjectNode> details) {
        Output out = output();
        if (dryRun()) {
            if (out.json()) {
                ObjectNode o = out.object();
                o.put("file", file.path().toString()).put("dry_run", true);
                o.set("tiers", StateFile.tiersTree(tiers).get("tiers"));
                out.json(o);
            } else {
                out.text("would write " + file.path() + ":\n" + StateFile.toYaml(StateFile.tiersTree(tiers)));
            }
            return 0;
        }
        file.write(tiers);
        if (out.json()) {
            ObjectNode o = out.object();
            o.put("file", file.path().toString());
            details.accept(o);
            o.put("result", confirmation);
            out.json(o);
        } else {
            out.message(confirmation);
        }
        return 0;
    }
}
