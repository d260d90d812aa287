package org.virtthrottle.app;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.virtthrottle.VirtThrottleException;

/**
 * One virt-throttle at a time changes a domain on this host: our metadata is read, changed and
 * written back whole, so two concurrent changes would lose one. An exclusive lock on a file named
 * after the domain's UUID is held while a domain is changed (and released when the process dies).
 *
 * <p>Where: every user of the system daemon (root, or members of group libvirt) locks in
 * {@code /run/virt-throttle}, which only root can create (its parent is root's alone); a user's own
 * daemon (qemu:///session and the like) locks in that user's runtime directory. A directory or lock
 * file that someone else could have planted (wrong owner, writable by others, a symbolic link or not
 * a plain file) is refused rather than used, and lock files are opened without following links.
 * Within one process the lock is re-entrant per thread, so naming one domain twice (by name and by
 * UUID) never waits on itself.
 */
public final class DomainLock implements AutoCloseable {
    static final Path SYSTEM_DIRECTORY = Path.of("/run/virt-throttle");
    private static final long WAIT_MILLIS = 60_000;
    private static final int WORLD_WRITABLE = 0002;
    private static final int GROUP_OR_WORLD = 0077;
    private static final Map<Path, Held> HELD = new HashMap<>();

    /** This process's hold on one lock file: threads queue on {@code threads}, the first opens the file. */
    private static final class Held {
        final ReentrantLock threads = new ReentrantLock();
        FileChannel channel;
        FileLock fileLock;
    }

    private final Held held;

    private DomainLock(Held held) {
        this.held = held;
    }

    /** Waits up to a minute for the lock of the domain with this UUID on the daemon at {@code uri}. */
    public static DomainLock acquire(String uri, String uuid, String domainName) {
        Path file = directory(uri).resolve(uuid + ".lock");
        Held held;
        synchronized (HELD) {
            held = HELD.computeIfAbsent(file, f -> new Held());
        }
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        try {
            if (!held.threads.tryLock(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw busy(domainName, file);
            }
            try {
                if (held.threads.getHoldCount() == 1) {
                    held.channel = open(file);
                    held.fileLock = waitForFileLock(held.channel, deadline, domainName, file);
                }
                return new DomainLock(held);
            } catch (RuntimeException | IOException e) {
                if (held.threads.getHoldCount() == 1) {
                    closeFile(held);
                }
                held.threads.unlock();
                throw e;
            }
        } catch (IOException e) {
            throw new VirtThrottleException("cannot lock " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VirtThrottleException("interrupted while waiting for the lock of domain '" + domainName + "'", e);
        }
    }

    private static FileLock waitForFileLock(FileChannel channel, long deadline, String domainName, Path file)
            throws IOException, InterruptedException {
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
            if (System.currentTimeMillis() > deadline) {
                throw busy(domainName, file);
            }
            Thread.sleep(20);
        }
    }

    private static VirtThrottleException busy(String domainName, Path file) {
        return new VirtThrottleException("domain '" + domainName + "' is being changed by another virt-throttle"
                + " (lock " + file + " held for over a minute)");
    }

    /** Opens (or creates) the lock file itself, never what a link planted in its place points to. */
    private static FileChannel open(Path file) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new VirtThrottleException("lock file " + file + " is not a plain file (a symbolic link or other"
                    + " planted there?): refusing to use it; remove it");
        }
        boolean isNew = !Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        if (isNew) {
            Files.setAttribute(
                    file, "unix:mode", file.startsWith(SYSTEM_DIRECTORY) ? 0660 : 0600, LinkOption.NOFOLLOW_LINKS);
        }
        return channel;
    }

    /** The directory of this daemon's locks, created safely or checked that no one else could have planted it. */
    static Path directory(String uri) {
        long uid = uid(Path.of("/proc/self"));
        try {
            if (uid == 0 || isSystemDaemon(uri)) {
                return systemDirectory(uid);
            }
            String runtime = System.getenv("XDG_RUNTIME_DIR");
            Path dir = runtime != null && runtime.startsWith("/")
                    ? Path.of(runtime, "virt-throttle")
                    : Path.of(System.getProperty("java.io.tmpdir"), "virt-throttle-" + uid);
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(dir);
                Files.setAttribute(dir, "unix:mode", 0700, LinkOption.NOFOLLOW_LINKS);
            }
            return checked(dir, uid, GROUP_OR_WORLD);
        } catch (IOException e) {
            throw new VirtThrottleException("cannot create the lock directory: " + e.getMessage(), e);
        }
    }

    private static Path systemDirectory(long uid) throws IOException {
        Path dir = SYSTEM_DIRECTORY;
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (uid != 0) {
                throw new VirtThrottleException(
                        "lock directory " + dir + " does not exist: it is made the first time root"
                                + " runs virt-throttle (or by its package)");
            }
            Files.createDirectory(dir);
            // members of group libvirt may manage the system daemon's domains: they share the locks
            try {
                GroupPrincipal libvirt =
                        FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName("libvirt");
                Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setGroup(libvirt);
                Files.setAttribute(dir, "unix:mode", 02770, LinkOption.NOFOLLOW_LINKS);
            } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
                Files.setAttribute(dir, "unix:mode", 0700, LinkOption.NOFOLLOW_LINKS);
            }
        }
        return checked(dir, 0, WORLD_WRITABLE);
    }

    /** The directory, if it is a real directory of {@code owner} without any of the {@code forbidden} mode bits. */
    private static Path checked(Path dir, long owner, int forbidden) throws IOException {
        String problem = null;
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            problem = "is not a directory";
        } else if (uid(dir) != owner) {
            problem = "belongs to uid " + uid(dir) + ", not " + owner;
        } else if ((mode(dir) & forbidden) != 0) {
            problem = "is writable by others (mode " + Integer.toOctalString(mode(dir) & 07777) + ")";
        }
        if (problem != null) {
            throw new VirtThrottleException("lock directory " + dir + " " + problem
                    + ": someone else may have made it, so virt-throttle will not use it; remove it and run again");
        }
        return dir;
    }

    private static boolean isSystemDaemon(String uri) {
        try {
            return "/system".equals(new URI(uri).getPath());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static long uid(Path path) {
        try {
            return ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
        } catch (NoSuchFileException e) {
            throw new VirtThrottleException(path + " disappeared while checking it", e);
        } catch (IOException e) {
            throw new VirtThrottleException("cannot read the owner of " + path + ": " + e.getMessage(), e);
        }
    }

    private static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    private static void closeFile(Held held) {
        try {
            if (held.fileLock != null) {
                held.fileLock.release();
            }
            if (held.channel != null) {
                held.channel.close();
            }
        } catch (IOException e) {
            // the lock goes with the channel anyway
        }
        held.fileLock = null;
        held.channel = null;
    }

    @Override
    public void close() {
        if (held.threads.getHoldCount() == 1) {
            closeFile(held);
        }
        held.threads.unlock();
    }
}
