package org.virtthrottle.cli.command;

import org.virtthrottle.app.DetachDisk;
import org.virtthrottle.cli.completion.CompletedWith;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "detach-disk",
        description = {
            "Detach a disk. Its throttle filters stay on until the guest has let go of the device: a guest that "
                    + "holds on to it keeps it throttled, and the detach is reported as pending (exit status 1).",
            "Once the device is gone, its filters and the nodes only they held are deleted (watch does that for a "
                    + "detach that completes later), and the disk's chain record goes with it. The config side is "
                    + "changed first; the live detach, which cannot be undone, is the last step."
        })
public final class DetachDiskCommand extends ChangingCommand {
    @Mixin
    DomainArgument domain;

    @NamedForm("target")
    @CompletedWith(CompletedWith.Names.TARGET)
    @Parameters(
            index = "1",
            paramLabel = "TARGET",
            description = "target of disk device (or its source path, as virsh takes it)")
    String target;

    @Mixin
    DeviceAffectOptions affect;

    @Option(names = "--print-xml", description = "print XML document rather than detach the disk")
    boolean printXml;

    @Override
    public Integer call() {
        var sides = affect.sides();
        if (printXml) {
            // as virsh 9.0: the element as the domain XML has it, nothing after it
            String element = DetachDisk.diskElement(domain(domain.name, null), target, sides);
            output().bare();
            output().line(element);
            return 0;
        }
        return change(
                domain,
                "detach disks",
                session -> DetachDisk.plan(session, target, sides),
                "Disk detached successfully");
    }
}
