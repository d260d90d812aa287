package org.virtthrottle.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

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
                StringBuilder text = new StringBuilder("#!/bin/sh\nexec");
                command("org.virtthrottle.cli.Main", List.of())
                        .forEach(word -> text.append(" '").append(word).append('\''));
                Files.writeString(script, text.append(" \"$@\"\n").toString());
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return script;
    }

    /** The java command line that runs {@code mainClass} as the launcher runs virt-throttle (arguments follow). */
    public static List<String> command(String mainClass, List<String> jvmOptions) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + Path.of("src/main/launcher/java-options").toAbsolutePath()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        return command;
    }
}
