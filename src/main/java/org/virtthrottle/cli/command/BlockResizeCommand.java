package org.virtthrottle.cli.command;

import org.virtthrottle.app.ResizeDisk;
import org.virtthrottle.app.UsageException;
import org.virtthrottle.model.InvalidConfigException;
import org.virtthrottle.model.ScaledInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "blockresize",
        description = {
            "Resize block device of domain, as virsh blockresize (same size syntax, words and exit status).",
            "Unlike a plain virsh blockresize on a disk behind throttle filters (ours, or libvirt 11.2+'s), the "
                    + "guest sees the new size: QEMU before 10.2 leaves the filters at the old size, so the size is "
                    + "passed up through them. reconcile repairs a disk resized by other means."
        })
public final class BlockResizeCommand extends ChangingCommand {
    @Mixin
    BlockDiskArguments disk;

    @NamedForm("size")
    @Parameters(
            index = "2",
            paramLabel = "SIZE",
            description = "New size of the block device, as scaled integer (default KiB)")
    String size;

    @Override
    public Integer call() {
        long bytes = bytes(size);
        var session = domain(disk.domain(), "resize disks");
        int status = org.virtthrottle.cli.output.PlanOutput.applyOrPrint(
                this, session, ResizeDisk.plan(session, disk.path, bytes), null);
        if (!dryRun()) {
            output().extra("Block device '" + disk.path + "' is resized");
        }
        return status;
    }

    /** virsh's size: a scaled integer, KiB when it has no unit. */
    private static long bytes(String text) {
        String malformed = "Scaled numeric value '" + text + "' for <size> option is malformed or out of range";
        try {
            long value = ScaledInteger.parse(text, true).orElseThrow(() -> new UsageException(malformed));
            return text.chars().allMatch(Character::isDigit) ? Math.multiplyExact(value, 1024L) : value;
        } catch (InvalidConfigException | ArithmeticException e) {
            throw new UsageException(malformed);
        }
    }
}
