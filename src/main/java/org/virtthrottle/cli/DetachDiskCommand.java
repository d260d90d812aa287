package org.virtthrottle.cli;

import org.virtthrottle.app.DetachDisk;
import org.virtthrottle.app.DomainSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "detach-disk",
        description = {
            "Detach a disk. Its throttle filters are removed first (device back onto the disk's own node, "
                    + "filters deleted top down), so libvirt's detach never fails on \"Block device is in use\" nor "
                    + "leaks nodes; the disk's chain record goes with it. The live detach itself is the last step."
        })
final class DetachDiskCommand extends ChangingCommand {
    @NamedForm("domain")
    @Parameters(index = "0", paramLabel = "DOMAIN", description = "domain name, id or uuid")
    String domain;

    @NamedForm("target")
    @Parameters(index = "1", paramLabel = "TARGET", description = "target of disk device")
    String target;

    @Mixin
    DeviceAffectOptions affect;

    @Override
    public Integer call() {
        var sides = affect.sides();
        DomainSession session = domain(domain, "detach disks");
        return PlanOutput.applyOrPrint(this, session, DetachDisk.plan(session, target, sides), "Disk detached successfully");
    }
}
