package org.virtthrottle.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Path;

/**
 * Where libvirt's own log goes. A driver embedded in this process (qemu:///embed) logs warnings on
 * our stderr by default; libvirt reads LIBVIRT_LOG_OUTPUTS from the C environment when it
 * initializes, so this must run before the first libvirt call.
 */
final class LibvirtLog {
    private interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    private LibvirtLog() {}

    /** Sends libvirt's warnings and errors to {@code file} instead of stderr. */
    static void toFile(Path file) {
        Native.load("c", LibC.class).setenv("LIBVIRT_LOG_OUTPUTS", "3:file:" + file.toAbsolutePath(), 0);
    }
}
