package org.virtthrottle.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An executable named virt-throttle that runs the tool from the test classpath (the jar is built
 * after the tests), with bin/virt-throttle's JVM flags, so tests can use it as users do: from bash,
 * from tmux, with pipes.
 */
public final class TestLauncher {
    private static Path script;

    private TestLauncher() {}

    public static synchronized Path script() {
        if (script == null) {
            try {
                Path dir = Files.createTempDirectory("vt-bin-");
                script = dir.resolve("virt-throttle");
                Files.writeString(
                        script,
                        "#!/bin/sh\nexec " + Path.of(System.getProperty("java.home"), "bin", "java")
                                + " @'"
                                + Path.of("src/main/launcher/java-options").toAbsolutePath() + "' -cp '"
                                + System.getProperty("java.class.path")
                                + "' org.virtthrottle.cli.Main \"$@\"\n");
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return script;
    }
}
