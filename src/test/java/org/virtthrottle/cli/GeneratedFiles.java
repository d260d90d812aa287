package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files generated from the command model: the man page and the bash completion script. The
 * build runs {@link #main} in process-test-classes (exec-maven-plugin in pom.xml) into
 * target/generated-files; the tests compare the checked-in copies with those. To update the
 * checked-in copies: {@value #REGENERATE}.
 */
final class GeneratedFiles {
    static final String REGENERATE = "mvn -q -B process-test-classes -Dgenerated.files=.";
    static final Path GENERATED = Path.of("target/generated-files");

    private GeneratedFiles() {}

    /** @param args the directory to write man/virt-throttle.1 and completions/virt-throttle.bash under, and the version */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        ManPage.render(Path.of("target/manpage"), root.resolve("man/virt-throttle.1"), args[1]);
        Path script = root.resolve("completions/virt-throttle.bash");
        Files.createDirectories(script.getParent());
        Files.writeString(script, BashCompletionScript.generate());
    }

    /** Fails unless the checked-in file (a path relative to the project) equals the one the build generated. */
    static void assertCurrent(Path checkedIn) throws IOException {
        Path generated = GENERATED.resolve(checkedIn);
        assertThat(generated)
                .as(generated + ", written by the build (process-test-classes); run the tests with Maven")
                .exists();
        assertThat(Files.readString(checkedIn))
                .withFailMessage(
                        "%s is stale: the commands, %s or the version changed (generated: %s). Update it with%n  %s",
                        checkedIn, ManPage.TEMPLATE, generated, REGENERATE)
                .isEqualTo(Files.readString(generated));
    }
}
