package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.model.Tier;

class TierFileTest {
    private static final Tier GOLD = new Tier("gold", ThrottleLimits.of(Map.of(LimitField.TOTAL_IOPS_SEC, 3000L)));
    private static final String GOLD_TEXT = "tiers:\n  gold: {total_iops_sec: 3000}\n";

    @TempDir
    Path dir;

    private Path file(String text, int mode) throws IOException {
        Path file = dir.resolve("tiers.yaml");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setAttribute(file, "unix:mode", mode);
        return file;
    }

    private static void refused(Path file, String problem) {
        assertThatThrownBy(() -> new TierFile(file).read())
                .isInstanceOf(VirtThrottleException.class)
                .hasMessage("tiers file " + file + " " + problem + ": refusing to use it");
    }

    @Test
    void aChangeWaitsForTheLockAnotherProcessHolds() throws Exception {
        Path file = dir.resolve("tiers.yaml");
        Path lockFile = dir.resolve("tiers.yaml.lock");
        // another process holds the lock (fcntl, as the JVM's FileChannel.lock) for 1.5 s
        Process holder = new ProcessBuilder(
                        "python3",
                        "-c",
                        "import fcntl,sys,time\n"
                                + "f=open(sys.argv[1],'a'); fcntl.lockf(f, fcntl.LOCK_EX); print('held', flush=True)\n"
                                + "time.sleep(1.5)",
                        lockFile.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(new String(holder.getInputStream().readNBytes(5), StandardCharsets.UTF_8))
                .isEqualTo("held\n");
        long start = System.nanoTime();
        try (TierFile.Lock lock = new TierFile(file).lock()) {
            assertThat((System.nanoTime() - start) / 1e9)
                    .as("waited for the other change")
                    .isGreaterThan(0.8);
        }
        holder.waitFor();
    }

    @Test
    void theLockFileIsMadeBesideTheTiersFileForItsOwnerOnly() throws Exception {
        Path file = dir.resolve("sub").resolve("tiers.yaml");
        try (TierFile.Lock lock = new TierFile(file).lock()) {
            assertThat(PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(file.resolveSibling("tiers.yaml.lock"))))
                    .isEqualTo("rw-------");
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void aMissingFileHoldsNoTiers() {
        assertThat(new TierFile(dir.resolve("none.yaml")).read()).isEmpty();
    }

    @Test
    void theEnvironmentNamesAnotherFileElseTheHostOne() {
        assertThat(TierFile.of(null).path()).isEqualTo(Path.of("/etc/virt-throttle/tiers.yaml"));
        assertThat(TierFile.of("").path()).isEqualTo(Path.of("/etc/virt-throttle/tiers.yaml"));
        assertThat(TierFile.of("/tmp/t.yaml").path()).isEqualTo(Path.of("/tmp/t.yaml"));
    }

    @Test
    void readsAFileOfItsOwnUserWritableByNoOneElse() throws IOException {
        assertThat(new TierFile(file(GOLD_TEXT, 0644)).read()).containsExactly(GOLD);
        assertThat(new TierFile(file(GOLD_TEXT, 0600)).read()).containsExactly(GOLD);
    }

    @Test
    void refusesAGroupOrWorldWritableFile() throws IOException {
        refused(file(GOLD_TEXT, 0664), "is writable by group or others (mode 664)");
        refused(file(GOLD_TEXT, 0646), "is writable by group or others (mode 646)");
    }

    @Test
    void refusesASymbolicLinkEvenToAGoodFile() throws IOException {
        Path target = file(GOLD_TEXT, 0644);
        Path link = Files.createSymbolicLink(dir.resolve("link.yaml"), target);
        refused(link, "is a symbolic link");
    }

    @Test
    void refusesADirectory() throws IOException {
        refused(Files.createDirectory(dir.resolve("d.yaml")), "is not a regular file");
    }

    @Test
    void refusesAFileOfAnotherUser() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a file away");
        Path file = file(GOLD_TEXT, 0644);
        Files.setAttribute(file, "unix:uid", 65534);
        refused(file, "belongs to uid 65534, not 0");
        assertThatThrownBy(() -> new TierFile(file).write(List.of()))
                .hasMessage("tiers file " + file + " belongs to uid 65534, not 0: refusing to use it");
        assertThat(Files.readString(file)).isEqualTo(GOLD_TEXT);
    }

    @Test
    void writesTheWholeFileMode0644CreatingItsDirectory() throws IOException {
        Path file = dir.resolve("etc/virt-throttle/tiers.yaml");
        new TierFile(file).write(List.of(GOLD));
        assertThat(Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(0100644);
        assertThat(new TierFile(file).read()).containsExactly(GOLD);
        new TierFile(file).write(List.of());
        assertThat(new TierFile(file).read()).isEmpty();
        assertThat(Files.list(file.getParent())).containsExactly(file);
    }
}
