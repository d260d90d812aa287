package org.virtthrottle.cli.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.app.AwaitBlockJob;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.app.UsageException;
import org.virtthrottle.plan.BlockJob;
import org.virtthrottle.xml.CopyDestination;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "blockcopy",
        description = {
            "Start a block copy operation, as virsh blockcopy (same options, words and exit status).",
            "On a disk behind throttle filters (libvirt < 11.2, where QEMU refuses the job with \"Need a root "
                    + "block node\"), the filters are lifted for the start of the job and put back right above the "
                    + "job's own node: a pivot leaves them on the copy, an abort on the original; the disk runs "
                    + "unthrottled only for those few milliseconds (--verbose says how long)."
        })
public final class BlockCopyCommand extends BlockJobStartCommand {
    @Option(names = "--dest", paramLabel = "STRING", description = "path of the copy to create")
    String dest;

    @Option(names = "--shallow", description = "make the copy share a backing chain")
    boolean shallow;

    @Option(names = "--reuse-external", description = "reuse existing destination")
    boolean reuseExternal;

    @Option(names = "--blockdev", description = "copy destination is block device instead of regular file")
    boolean blockdev;

    @Option(
            names = "--timeout",
            paramLabel = "NUMBER",
            description = "implies --wait, abort if copy exceeds timeout (in seconds)")
    String timeout;

    @Option(names = "--pivot", description = "implies --wait, pivot when mirroring starts")
    boolean pivot;

    @Option(names = "--finish", description = "implies --wait, quit when mirroring starts")
    boolean finish;

    @Option(
            names = "--xml",
            paramLabel = "STRING",
            description = "filename containing XML description of the copy destination")
    String xml;

    @Option(names = "--format", paramLabel = "STRING", description = "format of the destination file")
    String format;

    @Option(
            names = "--granularity",
            paramLabel = "NUMBER",
            description = "power-of-two granularity to use during the copy")
    String granularity;

    @Option(
            names = "--buf-size",
            paramLabel = "NUMBER",
            description = "maximum amount of in-flight data during the copy")
    String bufSize;

    @Option(names = "--transient-job", description = "the copy job is not persisted if VM is turned off")
    boolean transientJob;

    @Option(
            names = "--synchronous-writes",
            description = "the copy job forces guest writes to be synchronously written to the destination")
    boolean synchronousWrites;

    @Option(names = "--print-xml", description = "print the XML used to start the copy job instead of starting the job")
    boolean printXml;

    @Override
    boolean blocking() {
        return await || finish || pivot || timeout != null;
    }

    @Override
    public Integer call() {
        ExclusiveOptions.check(dest != null, "dest", xml != null, "xml");
        ExclusiveOptions.check(format != null, "format", xml != null, "xml");
        ExclusiveOptions.check(blockdev, "blockdev", xml != null, "xml");
        ExclusiveOptions.check(pivot, "pivot", finish, "finish");
        if (dest == null && xml == null) {
            throw new UsageException("need either --dest or --xml");
        }
        requireBlocking("--timeout, --wait, --pivot, or --finish");
        int seconds = Timeout.seconds(timeout);
        long granularityBytes = number(granularity, "granularity", 0xffffffffL);
        long bufSizeBytes = number(bufSize, "buf-size", Long.MAX_VALUE);
        String destinationXml = xml != null ? read(xml) : CopyDestination.toXml(dest, blockdev, format);
        if (printXml) {
            output().text(destinationXml);
            return 0;
        }
        return start(
                new BlockJob.Copy(
                        disk.path,
                        destinationXml,
                        bandwidthBytes(),
                        granularityBytes,
                        bufSizeBytes,
                        shallow,
                        reuseExternal,
                        transientJob,
                        synchronousWrites),
                seconds);
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new VirtThrottleException("Failed to open file '" + file + "': " + e.getMessage());
        }
    }

    private static long number(String text, String option, long max) {
        if (text == null) {
            return 0;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= 0 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // worded below, as virsh does
        }
        throw new UsageException(
                "Numeric value '" + text + "' for <" + option + "> option is malformed or out of range");
    }

    @Override
    String progressLabel() {
        return "Block Copy";
    }

    @Override
    String startedText(BlockJob job) {
        return "Block Copy started";
    }

    @Override
    int finish(DomainSession session, AwaitBlockJob.Outcome outcome) {
        switch (outcome) {
            case CANCELED:
                say(session, "\n", "Copy aborted");
                return 1;
            case FAILED:
                say(session, "\n", "Copy failed");
                return 1;
            default:
                break;
        }
        if (pivot) {
            end(session, true, "failed to pivot job for disk");
            say(session, "\n", "Successfully pivoted");
        } else if (finish) {
            end(session, false, "failed to finish job for disk");
            say(session, "\n", "Successfully copied");
        } else {
            say(session, "\n", "Now in mirroring phase");
        }
        return 0;
    }
}
