package org.virtthrottle.libvirt;

import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.virtthrottle.VirtThrottleException;

/**
 * libvirt's default event loop on a daemon thread. The embedded QEMU driver (qemu:///embed) runs
 * in this process and needs it to hear from QEMU; domain events (lifecycle, device-removed),
 * close callbacks and keepalive need it too.
 */
final class EventLoop {
    private static Thread thread;

    private EventLoop() {}

    static synchronized void ensureRunning() {
        if (thread != null) {
            return;
        }
        try {
            Library.initEventLoop();
        } catch (LibvirtException e) {
            throw new VirtThrottleException("cannot start libvirt's event loop: " + e.getMessage(), e);
        }
        thread = new Thread(
                () -> {
                    try {
                        Library.runEventLoop();
                    } catch (LibvirtException e) {
                        // the loop ends with the process; nothing to report to the user
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "libvirt-event-loop");
        thread.setDaemon(true);
        thread.start();
    }
}
