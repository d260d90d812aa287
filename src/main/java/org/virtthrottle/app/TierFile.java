package org.virtthrottle.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.Tier;
import org.virtthrottle.state.StateFile;

/**
 * The host's tier budgets: a YAML file that only the user running virt-throttle (root, for the
 * system daemon) may write, since a tier decides how much I/O other tenants' guests get.
 */
public final class TierFile implements Tiers {
    public static final Path DEFAULT = Path.of("/etc/virt-throttle/tiers.yaml");
    /** Names another tiers file, as XDG_* variables move other files (tests, a non-root trial). */
    public static final String ENVIRONMENT = "VIRT_THROTTLE_TIERS";

    private static final int GROUP_OR_WORLD_WRITABLE = 0022;

    private final Path path;

    public TierFile(Path path) {
        this.path = path;
    }

    /** The file named by {@value #ENVIRONMENT} when set and not empty, else {@link #DEFAULT}. */
    public static TierFile of(String environmentValue) {
        return new TierFile(
                environmentValue != null && !environmentValue.isEmpty() ? Path.of(environmentValue) : DEFAULT);
    }

    public Path path() {
        return path;
    }

    /**
     * The tiers, in the file's order; none when the file does not exist.
     *
     * @throws VirtThrottleException naming the file: a symbolic link, not a regular file, owned by
     *     another user, writable by group or others, unreadable, or a mistake in it (with its line)
     */
    public List<Tier> read() {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        checkTrusted();
        try {
            // not followed: a link put in place since the check is refused, not read
            try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                return StateFile.parseTiers(path.toString(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new VirtThrottleException("cannot read tiers file " + path + ": " + e.getMessage(), e);
        }
    }

    public List<String> names() {
        return read().stream().map(Tier::name).toList();
    }

    @Override
    public Optional<Tier> find(String name) {
        return read().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** A held lock on the tiers file, for a change (read, change, write) that no other change may cross. */
    public interface Lock extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits for and takes the lock on the file ({@code NAME.lock} beside it, created mode 0600): two
     * commands changing tiers at once otherwise each write the whole file, and the earlier change is lost.
     */
    public Lock lock() {
        Path lockFile = path.resolveSibling(path.getFileName() + ".lock");
        try {
            Files.createDirectories(
                    Objects.requireNonNull(lockFile.toAbsolutePath().getParent()));
            FileChannel channel = FileChannel.open(
                    lockFile,
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            FileLock held;
            try {
                held = channel.lock();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            return () -> {
                try {
                    held.release();
                    channel.close();
                } catch (IOException e) {
                    throw new VirtThrottleException("cannot release " + lockFile + ": " + e.getMessage(), e);
                }
            };
        } catch (IOException e) {
            throw new VirtThrottleException("cannot lock tiers file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the file as a whole (a reader sees the old or the new file, never half of one), mode 0644. */
    public void write(List<Tier> tiers) {
        String text = StateFile.toYaml(StateFile.tiersTree(tiers));
        try {
            Path directory = Objects.requireNonNull(path.toAbsolutePath().getParent(), "a file's path has a parent");
            Files.createDirectories(directory);
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                checkTrusted();
            }
            Path temporary = Files.createTempFile(directory, ".tiers", ".yaml");
            try {
                Files.writeString(temporary, text, StandardCharsets.UTF_8);
                Files.setAttribute(temporary, "unix:mode", 0644);
                Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new VirtThrottleException("cannot write tiers file " + path + ": " + e.getMessage(), e);
        }
    }

    private void checkTrusted() {
        String problem;
        try {
            long self = uid(Path.of("/proc/self"));
            if (Files.isSymbolicLink(path)) {
                problem = "is a symbolic link";
            } else if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                problem = "is not a regular file";
            } else if (uid(path) != self) {
                problem = "belongs to uid " + uid(path) + ", not " + self;
            } else if ((mode(path) & GROUP_OR_WORLD_WRITABLE) != 0) {
                problem = "is writable by group or others (mode " + Integer.toOctalString(mode(path) & 07777) + ")";
            } else {
                return;
            }
        } catch (IOException e) {
            problem = "cannot be checked: " + e.getMessage();
        }
        throw new VirtThrottleException("tiers file " + path + " " + problem + ": refusing to use it");
    }

    private static long uid(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
    }

    private static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }
}
