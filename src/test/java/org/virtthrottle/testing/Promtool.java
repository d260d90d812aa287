package org.virtthrottle.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Prometheus's own checker (package prometheus), for the metrics throttlestat prints and the docs' PromQL. */
public final class Promtool {
    private Promtool() {}

    /** What {@code promtool check metrics} says of the text ("" when it has nothing to say); fails when it refuses it. */
    public static String checkMetrics(String metrics) {
        try {
            Process p = start(null, "check", "metrics");
            p.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String verdict = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new AssertionError("promtool check metrics refused:\n" + verdict + "\n" + metrics);
            }
            return verdict;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Runs {@code promtool test rules} on the first ```promql block of {@code page} recorded as {@code record},
     * against the unit test file {@code test}; fails unless it passes.
     *
     * @param what names the block, for the failure ("a ```promql block on tiers")
     */
    public static void testFirstQuery(Path page, Pattern block, String what, String record, Path test)
            throws IOException, InterruptedException {
        Matcher query = block.matcher(Files.readString(page));
        if (!query.find()) {
            throw new AssertionError(page + " has no " + what);
        }
        Path dir = Files.createTempDirectory("vt-promql");
        Files.writeString(
                dir.resolve("rules.yml"),
                "groups:\n  - name: vt\n    rules:\n"
                        + "      - record: " + record + "\n        expr: |\n"
                        + query.group(1)
                                .lines()
                                .map(l -> "          " + l + "\n")
                                .collect(Collectors.joining()));
        Files.copy(test, dir.resolve("test.yml"));
        Process p = start(dir, "test", "rules", "test.yml");
        String verdict = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 || !verdict.contains("SUCCESS")) {
            throw new AssertionError("promtool test rules failed for " + what + ":\n" + verdict);
        }
    }

    private static Process start(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        try {
            return new ProcessBuilder(command)
                    .directory(dir == null ? null : dir.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "promtool is missing: bin/host-setup --test-machine installs it (package prometheus)", e);
        }
    }
}
