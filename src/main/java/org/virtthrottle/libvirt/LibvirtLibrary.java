package org.virtthrottle.libvirt;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where JNA finds libvirt.so.0. Left to itself, JNA runs {@code /sbin/ldconfig -p} in a child
 * process on every start to learn the system's library directories (a third of a TAB press's
 * time). When the JVM's own library path (Debian's lists the multiarch directories) holds
 * libvirt, JNA is told to search there instead; otherwise it goes its usual way.
 */
final class LibvirtLibrary {
    private static final String PLATFORM_PATH = "jna.platform.library.path";

    private LibvirtLibrary() {
    }

    static void locate() {
        if (System.getProperty(PLATFORM_PATH) != null) {
            return;
        }
        String path = System.getProperty("java.library.path", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.exists(Path.of(dir, "libvirt.so.0"))) {
                System.setProperty(PLATFORM_PATH, path);
                return;
            }
        }
    }
}
