package org.virtthrottle.cli;

import org.virtthrottle.app.AffectedSides;
import org.virtthrottle.app.DetachDisk;
import org.virtthrottle.app.DomainSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "detach-disk",
        description = {
            "Detach a disk. Its throttle filters are removed first (device back onto the disk's own node,",
            "filters deleted top down), so libvirt's detach never fails on \"Block device is in use\" nor leaks",
            "nodes; the disk's chain record goes with it. The live detach itself is the last step."
        })
final class DetachDiskCommand extends DomainCommand {
    @Parameters(index = "0", paramLabel = "DOMAIN", description = "domain name, id or uuid")
    String domain;

    @Parameters(index = "1", paramLabel = "TARGET", description = "target of disk device")
    String target;

    @Option(names = "--persistent", description = "make live change persistent")
    boolean persistent;

    @Option(names = "--config", description = "affect next boot")
    boolean config;

    @Option(names = "--live", description = "affect running domain")
    boolean live;

    @Option(names = "--current", description = "affect current domain")
    boolean current;

    @Override
    public Integer call() {
        AffectedSides sides = new AffectedSides(live, config, current, persistent);
        DomainSession session = domain(domain, "detach disks");
        return PlanOutput.applyOrPrint(this, session, DetachDisk.plan(session, target, sides), "Disk detached successfully");
    }
}
