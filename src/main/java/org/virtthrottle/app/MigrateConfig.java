package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.plan.Action;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.plan.Step;
import org.virtthrottle.xml.DiskInfo;
import org.virtthrottle.xml.DomainXml;

/**
 * After a host upgrade to libvirt 11.2+: moves a domain's persistent throttle config from our
 * metadata into libvirt's own elements, in one definition of the domain: its XML with the groups in
 * {@code <throttlegroups>}, each disk's {@code <throttlefilters>}, and without our metadata (but for
 * tier membership, which stays in it: libvirt has no place for it), the rest
 * unchanged. The result is read back and checked before the plan counts as done; any
 * failure undoes it all. Refused where libvirt would reject the config.
 */
public final class MigrateConfig {
    /** What the migration moves, and how. */
    public record Result(String domain, List<String> moved, Plan plan) implements Change.OfPlan {}

    private MigrateConfig() {}

    public static Result plan(DomainSession domain) {
        if (!domain.isNative()) {
            throw new VirtThrottleException("migrate-config needs libvirt >= 11.2, which keeps throttle groups itself");
        }
        if (!domain.isPersistent()) {
            throw new VirtThrottleException(
                    "cannot migrate " + domain.name() + ": it is a transient domain, which has no"
                            + " persistent config to move (defining it would make it persistent)");
        }
        // the domain is defined anew from this: read it with its secrets, or they would be lost
        DomainXml inactive = domain.secureConfigXml();
        if (!inactive.hasPreNativeMetadata()) {
            return new Result(domain.name(), List.of(), new Plan(List.of()));
        }
        DomainThrottleConfig ours = inactive.metadataThrottleConfig();
        DomainThrottleConfig existing = inactive.nativeThrottleConfig();
        DomainThrottleConfig merged = existing;
        for (ThrottleGroup g : ours.groups()) {
            merged = merged.withGroup(g);
        }
        for (Map.Entry<String, FilterChain> chain : ours.chains().entrySet()) {
            DiskInfo disk = inactive.disk(chain.getKey())
                    .orElseThrow(() ->
                            new VirtThrottleException("cannot migrate " + domain.name() + ": disk " + chain.getKey()
                                    + " has throttle filters in virt-throttle's config but is not in the domain"));
            try {
                ChainChecks.canBeThrottled(disk, false);
                chain.getValue().validated();
            } catch (VirtThrottleException e) {
                throw new VirtThrottleException(
                        "cannot migrate " + domain.name() + ": libvirt would reject it: " + e.getMessage(), e);
            }
            for (String g : chain.getValue().groups()) {
                if (merged.group(g).isEmpty()) {
                    throw new VirtThrottleException("cannot migrate " + domain.name() + ": disk " + chain.getKey()
                            + " uses throttle group " + g + ", which is not in the config");
                }
            }
            merged = merged.withChain(chain.getKey(), chain.getValue());
        }
        // one definition carries the groups, the filters and the metadata's removal: a process killed
        // after it or before it leaves the persistent config as it was or fully migrated, never groups
        // set through the API while the metadata still holds them (which reconcile cannot tell apart)
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(
                "define the throttle groups and the disks' throttle filters, without virt-throttle's metadata",
                new Action.Redefine(inactive.withNativeThrottleConfig(merged)),
                new Action.Redefine(inactive.raw())));
        steps.add(new Step("check the persistent config", new Action.VerifyConfig(merged), null));
        List<String> moved = new ArrayList<>();
        moved.add("moved " + ours.groups().size() + " throttle group(s) and the filters of "
                + ours.chains().size() + " disk(s) into libvirt's own config");
        return new Result(domain.name(), moved, new Plan(steps));
    }
}
