package org.virtthrottle.app;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.virtthrottle.VirtThrottleException;

/**
 * One virt-throttle at a time changes a domain on this host: our metadata is read, changed and
 * written back whole, so two concurrent changes would lose one. An exclusive lock on a file named
 * after the domain's UUID is held for the whole command (and released when the process dies).
 */
public final class DomainLock implements AutoCloseable {
    private static final long WAIT_MILLIS = 60_000;

    private final FileChannel channel;
    private final FileLock lock;

    private DomainLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits up to a minute for the domain's lock. */
    public static DomainLock acquire(String uuid, String domainName) {
        Path file = directory().resolve(uuid + ".lock");
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            long deadline = System.currentTimeMillis() + WAIT_MILLIS;
            while (true) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null; // held by this process already: wait like any other holder
                }
                if (lock != null) {
                    return new DomainLock(channel, lock);
                }
                if (System.currentTimeMillis() > deadline) {
                    channel.close();
                    throw new VirtThrottleException("domain '" + domainName + "' is being changed by another virt-throttle"
                            + " (lock " + file + " held for over a minute)");
                }
                Thread.sleep(20);
            }
        } catch (IOException e) {
            throw new VirtThrottleException("cannot lock " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VirtThrottleException("interrupted while waiting for the lock of domain '" + domainName + "'", e);
        }
    }

    /** /run/lock/virt-throttle for root, else a directory of this user's under the temp directory. */
    private static Path directory() {
        Path dir = "root".equals(System.getProperty("user.name")) && Files.isWritable(Path.of("/run/lock"))
                ? Path.of("/run/lock/virt-throttle")
                : Path.of(System.getProperty("java.io.tmpdir"), "virt-throttle-" + System.getProperty("user.name"));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new VirtThrottleException("cannot create the lock directory " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the channel anyway
        }
    }
}
