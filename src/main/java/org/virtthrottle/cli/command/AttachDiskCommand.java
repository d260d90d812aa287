package org.virtthrottle.cli.command;

import org.virtthrottle.app.AttachDisk;
import org.virtthrottle.cli.completion.CompletedWith;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.xml.DiskDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "attach-disk",
        description = {
            "Attach a disk, as virsh attach-disk does, optionally behind a chain of throttle groups. libvirt "
                    + "attaches the disk; the chain is then spliced above the disk's top node in QEMU: device -> "
                    + "filter(last group) -> ... -> filter(first group) -> disk, as upstream libvirt 11.2+ builds it."
        })
public final class AttachDiskCommand extends ChangingCommand {
    @Mixin
    DomainArgument domain;

    @NamedForm("source")
    @CompletedWith(CompletedWith.Names.FILE)
    @Parameters(
            index = "1",
            paramLabel = "SOURCE",
            description =
                    "source of disk device or name of network disk (file, block device, RBD pool/image, NBD export)")
    String source;

    @NamedForm("target")
    @Parameters(index = "2", paramLabel = "TARGET", description = "target of disk device (vdb, sda, ...)")
    String target;

    @CompletedWith(
            value = CompletedWith.Names.VALUES,
            values = {"virtio", "scsi", "sata", "ide", "usb"})
    @Option(
            names = "--targetbus",
            paramLabel = "<string>",
            description = "target bus of disk device (virtio, scsi, sata, ...)")
    String targetBus;

    @CompletedWith(
            value = CompletedWith.Names.VALUES,
            values = {"qemu"})
    @Option(names = "--driver", paramLabel = "<string>", description = "driver of disk device (qemu)")
    String driver;

    @CompletedWith(
            value = CompletedWith.Names.VALUES,
            values = {"raw", "qcow2"})
    @Option(
            names = "--subdriver",
            paramLabel = "<string>",
            description = "subdriver of disk device: the image format (raw, qcow2)")
    String subdriver;

    @Option(names = "--iothread", paramLabel = "<string>", description = "IOThread to be used by supported device")
    String iothread;

    @CompletedWith(
            value = CompletedWith.Names.VALUES,
            values = {"default", "none", "writethrough", "writeback", "directsync", "unsafe"})
    @Option(names = "--cache", paramLabel = "<string>", description = "cache mode of disk device")
    String cache;

    @CompletedWith(
            value = CompletedWith.Names.VALUES,
            values = {"native", "threads", "io_uring"})
    @Option(names = "--io", paramLabel = "<string>", description = "io policy of disk device")
    String io;

    @CompletedWith(
            value = CompletedWith.Names.VALUES,
            values = {"disk", "cdrom", "floppy", "lun"})
    @Option(names = "--type", paramLabel = "<string>", description = "target device type (disk, cdrom, floppy, lun)")
    String type;

    @CompletedWith(
            value = CompletedWith.Names.VALUES,
            values = {"readonly", "shareable"})
    @Option(
            names = "--mode",
            paramLabel = "<string>",
            description = "mode of device reading and writing (readonly, shareable)")
    String mode;

    @CompletedWith(
            value = CompletedWith.Names.VALUES,
            values = {"file", "block", "network"})
    @Option(names = "--sourcetype", paramLabel = "<string>", description = "type of source (block|file|network)")
    String sourceType;

    @Option(names = "--serial", paramLabel = "<string>", description = "serial of disk device")
    String serial;

    @Option(names = "--wwn", paramLabel = "<string>", description = "wwn of disk device")
    String wwn;

    @Option(
            names = "--alias",
            paramLabel = "<string>",
            description = "custom alias name of disk device (must start with ua-)")
    String alias;

    @Option(names = "--rawio", description = "needs rawio capability")
    boolean rawio;

    @Option(
            names = "--address",
            paramLabel = "<string>",
            description = "address of disk device: pci:D.B.S.F, ccw:C.S.D or scsi|ide|sata:C.B.U")
    String address;

    @Option(names = "--multifunction", description = "use multifunction pci under specified address")
    boolean multifunction;

    @Option(names = "--print-xml", description = "print XML document rather than attach the disk")
    boolean printXml;

    @CompletedWith(
            value = CompletedWith.Names.VALUES,
            values = {
                "nbd",
                "rbd",
                "iscsi",
                "http",
                "https",
                "ftp",
                "ftps",
                "tftp",
                "gluster",
                "sheepdog",
                "vxhs",
                "nfs",
                "ssh"
            })
    @Option(
            names = "--source-protocol",
            paramLabel = "<string>",
            description = "protocol used by disk device source (nbd, rbd, iscsi, ...): a network disk")
    String sourceProtocol;

    @Option(
            names = "--source-host-name",
            paramLabel = "<string>",
            description = "host name for source of disk device: HOST[:PORT]")
    String sourceHostName;

    @CompletedWith(
            value = CompletedWith.Names.VALUES,
            values = {"tcp", "rdma", "unix"})
    @Option(
            names = "--source-host-transport",
            paramLabel = "<string>",
            description = "host transport for source of disk device (tcp, unix, rdma)")
    String sourceHostTransport;

    @Option(
            names = "--source-host-socket",
            paramLabel = "<string>",
            description = "host socket for source of disk device (with --source-host-transport unix)")
    String sourceHostSocket;

    @CompletedWith(CompletedWith.Names.GROUP_LIST)
    @Option(
            names = "--throttle-groups",
            paramLabel = "<string>",
            description = "comma separated list of throttle groups to be applied, image side first")
    String throttleGroups;

    @Mixin
    DeviceAffectOptions affect;

    @Override
    public Integer call() {
        var sides = affect.sides();
        FilterChain chain = GroupList.parse(throttleGroups, "throttle-groups");
        DiskDefinition disk = new DiskDefinition(
                source,
                target,
                targetBus,
                driver,
                subdriver,
                type,
                mode,
                cache,
                io,
                sourceType,
                new DiskDefinition.NetworkSource(sourceProtocol, sourceHostName, sourceHostTransport, sourceHostSocket),
                serial,
                wwn,
                alias,
                address,
                multifunction,
                rawio,
                iothread,
                chain);
        if (printXml) {
            // like virsh: no connection needed, upstream's form with <throttlefilters>
            output().text(disk.toXml(true));
            return 0;
        }
        return change(
                domain,
                "attach disks",
                session -> AttachDisk.plan(session, disk, sides),
                "Disk attached successfully",
                "Failed to attach disk");
    }
}
