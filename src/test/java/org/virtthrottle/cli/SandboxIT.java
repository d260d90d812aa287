package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.virtthrottle.testing.TestLauncher;

/** --sandbox from a clean cache directory, without libvirtd's help, as a newcomer runs it. */
@Tag("integration")
class SandboxIT {
    private record Run(int exitCode, String out, String err) {}

    private static Run run(Path cache, String... args) throws Exception {
        List<String> cmd =
                new java.util.ArrayList<>(List.of(TestLauncher.script().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        pb.environment().remove("LIBVIRT_DEFAULT_URI");
        Path out = Files.createTempFile("vt-sbx", ".out");
        Path err = Files.createTempFile("vt-sbx", ".err");
        Process p = pb.redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("sandbox finished").isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static long qemuProcessesUnder(Path cache) throws Exception {
        Process p = new ProcessBuilder("pgrep", "-f", "qemu-system.*" + cache).start();
        return new String(p.getInputStream().readAllBytes()).lines().count();
    }

    @Test
    void aCleanSandboxRunsCommandsOnItsGuestAndStopsItAfterwards() throws Exception {
        Path cache = Files.createTempDirectory("vt-cache-");

        Run first = run(
                cache,
                "--sandbox",
                "throttlegroupset sandbox g --total-iops-sec 10 --live; throttlegroupinfo sandbox g");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).isEqualTo("Throttle group set successfully\n\ntotal_iops_sec : 10\n\n");
        assertThat(first.err()).isEmpty();
        Path root = cache.resolve("virt-throttle").resolve("sandbox");
        assertThat(root.resolve("etc").resolve("qemu.conf")).exists();
        assertThat(root.resolve("images").resolve("spare-1.qcow2")).exists();
        assertThat(qemuProcessesUnder(cache)).as("guest stopped").isZero();

        // the next run reuses the guest, which starts fresh: the live group is gone, the disks are there
        Run second = run(
                cache,
                "--sandbox",
                "throttlegrouplist sandbox; attach-disk sandbox " + root.resolve("images/spare-1.qcow2")
                        + " sdb --targetbus scsi --subdriver qcow2 --live; throttlefilterlist sandbox");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out())
                .startsWith(" Name\n-------\n\n")
                .contains(" sdb ")
                .contains(" vda ")
                .contains(" sda ");
        assertThat(qemuProcessesUnder(cache)).isZero();
    }
}
