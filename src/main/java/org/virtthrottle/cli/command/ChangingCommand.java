package org.virtthrottle.cli.command;

import java.util.function.Function;
import org.virtthrottle.app.Change;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.cli.output.HelpText;
import org.virtthrottle.cli.output.PlanOutput;
import picocli.CommandLine.Option;

/** A command that changes domains: it can print its plan instead (--dry-run, also before the command). */
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
}
