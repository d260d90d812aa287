package org.virtthrottle.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Inputs generated for the ordinary test run: a fuzz test's seed and regression inputs (Jazzer's
 * {@code <Class>Inputs/<method>/} test resources) changed by a few random edits (insert, replace,
 * delete, repeat a piece) that use the format's own tokens or arbitrary characters. Jazzer's
 * campaign explores from the same files, guided by coverage. Each run draws anew (the seed is in a
 * failure's message; {@code -Dvirtthrottle.mutationSeed=N} repeats a run).
 */
public final class SeedMutations {
    private static final int MAX_EDITS = 8;
    private static final int MAX_PIECE = 40;

    private SeedMutations() {}

    /** The seed inputs of a fuzz test method, as text. */
    public static List<String> seeds(Class<?> fuzzTest, String method) {
        URL dir = fuzzTest.getResource(fuzzTest.getSimpleName() + "Inputs/" + method);
        if (dir == null) {
            throw new IllegalStateException("no seed inputs for " + fuzzTest.getName() + "." + method);
        }
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files.sorted()
                    .map(file -> {
                        try {
                            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Gives {@code check} {@code count} inputs, each a seed of {@code method} with up to 8 random edits.
     *
     * @param tokens pieces of the format (keywords, punctuation, numbers at the limits) that edits insert
     */
    public static void check(Class<?> fuzzTest, String method, List<String> tokens, int count, Consumer<String> check) {
        List<String> seeds = seeds(fuzzTest, method);
        long seed = Long.getLong("virtthrottle.mutationSeed", System.nanoTime());
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            String input = seeds.get(random.nextInt(seeds.size()));
            for (int edits = random.nextInt(MAX_EDITS + 1); edits > 0; edits--) {
                input = edit(input, random, tokens);
            }
            try {
                check.accept(input);
            } catch (AssertionError e) {
                Path saved = save(fuzzTest, method, seed + "-" + (i + 1), input);
                throw new AssertionError(
                        "generated input " + (i + 1) + " of -Dvirtthrottle.mutationSeed=" + seed + " (saved as " + saved
                                + ", to become a regression input in the seeds' folder): " + e.getMessage(),
                        e);
            }
        }
    }

    /** Writes a failing input under target/generated-failures, byte for byte as a seed file holds it. */
    private static Path save(Class<?> fuzzTest, String method, String name, String input) {
        Path file =
                Path.of("target", "generated-failures", fuzzTest.getSimpleName() + "Inputs", method, "input-" + name);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static String edit(String input, Random random, List<String> tokens) {
        int at = random.nextInt(input.length() + 1);
        int end = Math.min(input.length(), at + 1 + random.nextInt(MAX_PIECE));
        return switch (random.nextInt(4)) {
            case 0 -> input.substring(0, at) + piece(random, tokens) + input.substring(at);
            case 1 -> input.substring(0, at) + piece(random, tokens) + input.substring(end);
            case 2 -> input.substring(0, at) + input.substring(end);
            default -> input.substring(0, end) + input.substring(at, end) + input.substring(end);
        };
    }

    /** A token of the format, or one to three arbitrary characters (controls and beyond ASCII too). */
    private static String piece(Random random, List<String> tokens) {
        if (random.nextBoolean()) {
            return tokens.get(random.nextInt(tokens.size()));
        }
        StringBuilder chars = new StringBuilder();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            chars.append((char) (random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0x10000)));
        }
        return chars.toString();
    }
}
