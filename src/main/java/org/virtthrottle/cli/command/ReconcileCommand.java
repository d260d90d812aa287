package org.virtthrottle.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.app.Reconcile;
import org.virtthrottle.cli.output.Output;
import org.virtthrottle.cli.output.PlanOutput;
import org.virtthrottle.model.Side;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "reconcile",
        description = {
            "Make running domains' throttling what it should be, which libvirt < 11.2 does not apply when it "
                    + "starts QEMU: what was applied live (the live record in the domain's live XML, which libvirt copies "
                    + "from the config at boot and carries through restores, migrations and snapshot reverts), or the "
                    + "persistent config for a running domain without any live record.",
            "Missing groups are created, "
                    + "changed limits set, missing or different chains spliced, chains of ours that should not be there "
                    + "removed, and what is left of detached disks (orphan nodes of ours, and the nodes only they held) "
                    + "deleted.",
            "Prints what it changed (with --dry-run: would change, and the plan) and the drift it cannot "
                    + "fix; never touches nodes it did not make. A second run changes nothing.",
            "A tier's member group keeps in QEMU its share of each rate the tier divides (watch --all sets "
                    + "those; a share above the group's own limit is brought down to it): each member is named.",
            "JSON: {\"domains\": [{\"domain\", \"changes\": [...], \"drift\": [...], "
                    + "\"tier_members\": {GROUP: TIER}, \"applied\": BOOL}]}."
        })
public final class ReconcileCommand extends ChangingCommand {
    @Mixin
    DomainSelection selection;

    @Override
    public Integer call() {
        List<String> names = selection.checked().names(context().connection(), false);
        Output out = output();
        ObjectNode json = out.object();
        ArrayNode list = json.putArray("domains");
        List<String> failed = new ArrayList<>();
        for (String name : names) {
            try {
                DomainSession session = domain(name, "reconcile domains");
                Reconcile.Result result = Reconcile.plan(session);
                if (!dryRun()) {
                    result.apply(session);
                }
                report(result, session.isActive() ? session.config(Side.LIVE).tiers() : Map.of(), list);
            } catch (VirtThrottleException e) {
                failed.add(name + ": " + e.getMessage());
            } finally {
                context().releaseLocks();
            }
        }
        if (out.json()) {
            out.json(json);
        }
        if (!failed.isEmpty()) {
            throw new VirtThrottleException("reconcile failed for " + String.join("; ", failed));
        }
        return 0;
    }

    /** @param members the domain's groups whose divided rates are their tier's (group to tier) */
    private void report(Reconcile.Result result, Map<String, String> members, ArrayNode list) {
        Output out = output();
        if (out.json()) {
            ObjectNode d = list.addObject();
            d.put("domain", result.domain());
            result.changes().forEach(d.putArray("changes")::add);
            result.drift().forEach(d.putArray("drift")::add);
            if (!members.isEmpty()) {
                ObjectNode tiers = d.putObject("tier_members");
                members.forEach(tiers::put);
            }
            d.put("applied", !dryRun() && !result.inSync());
            return;
        }
        PlanOutput.changes(out, result, dryRun(), result.changes().isEmpty() ? "in sync" : null);
        members.forEach((group, tier) -> out.line(result.domain() + ": throttle group " + group + ": the rates tier "
                + tier + " divides are the tier's to set (watch --all), left as they are"));
    }
}
