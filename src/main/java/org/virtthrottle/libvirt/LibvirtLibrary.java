package org.virtthrottle.libvirt;

import com.sun.jna.Platform;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where JNA finds its own native part and libvirt.so.0, set before JNA loads. Left to itself, JNA
 * writes its native part out of the jar into a new temporary file on every start, and runs
 * {@code /sbin/ldconfig -p} in a child process to learn the system's library directories (a third
 * of a TAB press's time). Here the native part is written once per version into a cache directory,
 * and when the JVM's own library path (Debian's lists the multiarch directories) holds libvirt, JNA
 * searches there. Whatever cannot be done this way is left to JNA, which then goes its usual way.
 */
final class LibvirtLibrary {
    private static final String PLATFORM_PATH = "jna.platform.library.path";
    private static final String BOOT_PATH = "jna.boot.library.path";

    private LibvirtLibrary() {}

    static void locate() {
        if (System.getProperty(PLATFORM_PATH) == null) {
            String path = System.getProperty("java.library.path", "");
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.exists(Path.of(dir, "libvirt.so.0"))) {
                    System.setProperty(PLATFORM_PATH, path);
                    break;
                }
            }
        }
        if (System.getProperty(BOOT_PATH) == null) {
            try {
                cacheDispatchLibrary();
            } catch (IOException | RuntimeException e) {
                // JNA unpacks it into a temporary file, as it does by default
            }
        }
    }

    /** JNA's native part from the jar, into a directory named after its checksum; points JNA there. */
    private static void cacheDispatchLibrary() throws IOException {
        String name = System.mapLibraryName("jnidispatch");
        URL resource = Platform.class.getResource("/com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + name);
        if (resource == null) {
            return;
        }
        URLConnection connection = resource.openConnection();
        if (!(connection instanceof JarURLConnection jar)) {
            return;
        }
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base =
                cache != null && !cache.isEmpty() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        Path dir = base.resolve("virt-throttle")
                .resolve("jna-" + Long.toHexString(jar.getJarEntry().getCrc()));
        Path library = dir.resolve(name);
        if (!Files.exists(library)) {
            Files.createDirectories(dir);
            // written whole under another name, then renamed: a process starting meanwhile never loads half a file
            Path partial = Files.createTempFile(dir, name, ".partial");
            try (InputStream in = connection.getInputStream()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        }
        System.setProperty(BOOT_PATH, dir.toString());
    }
}
