package org.virtthrottle.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The layers of ARCHITECTURE.md, read from the imports of the main sources. */
class LayersTest {
    private static final Path MAIN = Path.of("src/main/java/org/virtthrottle");

    private static List<Path> sources(String pkg) {
        try (Stream<Path> files = Files.walk(MAIN.resolve(pkg))) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> importing(List<Path> files, Predicate<String> forbidden) {
        return files.stream()
                .flatMap(f -> {
                    try {
                        return Files.readAllLines(f).stream()
                                .filter(l -> l.startsWith("import "))
                                .map(l -> l.substring("import ".length()).replace("static ", ""))
                                .filter(forbidden)
                                .map(l -> f + ": " + l);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .toList();
    }

    @Test
    void onlyTheCompositionRootOutsideLibvirtKnowsLibvirt() {
        List<Path> outside = Stream.of("app", "cli", "model", "xml", "plan", "qmp", "state", "stats")
                .flatMap(p -> sources(p).stream())
                .filter(f -> !f.endsWith(Path.of("cli/Main.java")))
                .toList();
        assertThat(outside).hasSizeGreaterThan(50);
        assertThat(importing(
                        outside,
                        i -> i.startsWith("org.virtthrottle.libvirt")
                                || i.startsWith("org.libvirt")
                                || i.startsWith("com.sun.jna")))
                .isEmpty();
    }

    @Test
    void thePureCoreUsesNeitherTheUseCasesNorTheCommandLine() {
        List<Path> pure = Stream.of("model", "xml", "plan", "qmp", "state", "stats")
                .flatMap(p -> sources(p).stream())
                .toList();
        assertThat(pure).hasSizeGreaterThan(20);
        assertThat(importing(
                        pure,
                        i -> i.startsWith("org.virtthrottle.app")
                                || i.startsWith("org.virtthrottle.cli")
                                || i.startsWith("org.virtthrottle.libvirt")))
                .isEmpty();
    }

    @Test
    void useCasesDoNotUseTheCommandLine() {
        assertThat(importing(sources("app"), i -> i.startsWith("org.virtthrottle.cli")))
                .isEmpty();
    }
}
