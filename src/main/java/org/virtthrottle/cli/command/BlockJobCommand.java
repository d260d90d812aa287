package org.virtthrottle.cli.command;

import java.util.Locale;
import org.virtthrottle.app.AwaitBlockJob;
import org.virtthrottle.app.Domain;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "blockjob",
        description = {
            "Manage active block operations, as virsh blockjob (same options, words and exit status).",
            "A job that virt-throttle started on a throttled disk already has the disk's filters above it: "
                    + "--pivot leaves them on the new image, --abort on the old one."
        })
public final class BlockJobCommand extends Subcommand {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    @Mixin
    BlockDiskArguments disk;

    @Option(names = "--abort", description = "abort the active job on the specified disk")
    boolean abort;

    @Option(names = "--async", description = "implies --abort; request but don't wait for job end")
    boolean async;

    @Option(names = "--pivot", description = "implies --abort; conclude and pivot a copy or commit job")
    boolean pivot;

    @Option(names = "--info", description = "get active job information for the specified disk")
    boolean info;

    @Option(names = "--bytes", description = "get/set bandwidth in bytes rather than MiB/s")
    boolean bytes;

    @Option(names = "--raw", description = "implies --info; output details rather than human summary")
    boolean raw;

    @Option(names = "--bandwidth", paramLabel = "NUMBER", description = "set the bandwidth limit in MiB/s")
    String bandwidth;

    @Override
    public Integer call() {
        ExclusiveOptions.check(raw, "raw", abort, "abort");
        ExclusiveOptions.check(raw, "raw", pivot, "pivot");
        ExclusiveOptions.check(raw, "raw", async, "async");
        ExclusiveOptions.check(raw, "raw", bandwidth != null, "bandwidth");
        ExclusiveOptions.check(info, "info", abort, "abort");
        ExclusiveOptions.check(info, "info", pivot, "pivot");
        ExclusiveOptions.check(info, "info", async, "async");
        ExclusiveOptions.check(info, "info", bandwidth != null, "bandwidth");
        ExclusiveOptions.check(bytes, "bytes", abort, "abort");
        ExclusiveOptions.check(bytes, "bytes", pivot, "pivot");
        ExclusiveOptions.check(bytes, "bytes", async, "async");
        if (bandwidth != null) {
            long speed = Bandwidth.bytesPerSecond(bandwidth, bytes);
            domain(disk.domain(), "change block jobs").setBlockJobSpeed(disk.path, speed);
        } else if (abort || pivot || async) {
            AwaitBlockJob.endAsAsked(domain(disk.domain(), "end block jobs"), disk.path, pivot, async);
        } else {
            show(domain(disk.domain(), null));
        }
        return 0;
    }

    private void show(DomainSession session) {
        Output out = output();
        Domain.BlockJobInfo job = session.blockJob(disk.path).orElse(null);
        if (out.json()) {
            var document = out.document(session.name(), null);
            document.put("disk", disk.path);
            if (job != null) {
                document.put("type", job.label());
                document.put("cur", job.cur());
                document.put("end", job.end());
                document.put("bandwidth_bytes_per_second", job.bandwidth());
            }
            out.json(document);
            return;
        }
        if (job == null) {
            if (!raw) {
                out.extra("No current block job for " + disk.path);
            }
            return;
        }
        if (raw) {
            long shown = bytes ? job.bandwidth() : job.bandwidth() >> 20;
            out.text(" type=" + job.label() + "\n bandwidth=" + shown + "\n cur=" + job.cur() + "\n end=" + job.end()
                    + "\n");
            return;
        }
        out.progress(job.label(), job.end() - job.cur(), job.end());
        if (job.bandwidth() != 0) {
            out.text(String.format(
                    Locale.ROOT, "    Bandwidth limit: %d bytes/s (%s/s)", job.bandwidth(), pretty(job.bandwidth())));
        }
        out.line("");
    }

    /** virsh's vshPrettyCapacity: the value in the largest binary unit it reaches, three decimals. */
    private static String pretty(long value) {
        double v = value;
        int unit = 0;
        while (unit < UNITS.length - 1 && v >= 1024) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.3f %s", v, UNITS[unit]);
    }
}
