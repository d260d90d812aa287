package org.virtthrottle.testing;

import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.virtthrottle.VirtThrottleException;

/**
 * The property every reader of outside input must have (issue 25, "hostile input"): an input either
 * parses, or is refused the one way the CLI prints, a {@link VirtThrottleException} whose message is
 * one line naming the place; never another exception, never a hang. Shared by the Jazzer fuzz tests
 * and their jqwik properties, which feed it the same parsers.
 */
public final class HostileInput {
    /** Far beyond any parse of a fuzz-sized input (milliseconds): a parser still busy then is stuck. */
    private static final long HANG_SECONDS = 10;

    /** Parses run here so a stuck one can be told from a slow one; daemons, so a stuck one ends with the JVM. */
    private static final ExecutorService PARSERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "hostile-input-parser");
        thread.setDaemon(true);
        return thread;
    });

    private HostileInput() {}

    /**
     * @param namesThePlace whether a refusal's message names where the input went wrong (the file and
     *     line, the XML, the QEMU command, ...)
     * @return what {@code parse} returned; empty when it refused the input the right way
     * @throws AssertionError for any other outcome, with the input in its message
     */
    public static <T> Optional<T> parsedOrRefused(String input, Predicate<String> namesThePlace, Callable<T> parse) {
        AtomicReference<Thread> parser = new AtomicReference<>();
        Future<T> result = PARSERS.submit(() -> {
            parser.set(Thread.currentThread());
            return parse.call();
        });
        try {
            return Optional.of(result.get(HANG_SECONDS, TimeUnit.SECONDS));
        } catch (TimeoutException e) {
            // where the parser is stuck, as the failure's cause
            Throwable stuck = new Throwable("the parser's stack after " + HANG_SECONDS + " s");
            stuck.setStackTrace(parser.get().getStackTrace());
            result.cancel(true);
            StringBuilder where = new StringBuilder();
            for (StackTraceElement frame : stuck.getStackTrace()) {
                if (frame.getClassName().startsWith("org.virtthrottle") && where.length() < 600) {
                    where.append(frame).append(" < ");
                }
            }
            throw new AssertionError(
                    "no answer after " + HANG_SECONDS + " s (a hang) in " + where + "for input " + quoted(input),
                    stuck);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            Throwable failure = e.getCause();
            if (!(failure instanceof VirtThrottleException refusal)) {
                throw new AssertionError(
                        "not the one-line error path: " + failure + " for input " + quoted(input), failure);
            }
            String message = refusal.getMessage();
            if (message == null || message.isBlank() || message.contains("\n") || message.contains("\r")) {
                throw new AssertionError(
                        "a refusal must be one line of text, not " + quoted(String.valueOf(message)) + " for input "
                                + quoted(input),
                        refusal);
            }
            if (!namesThePlace.test(message)) {
                throw new AssertionError(
                        "the refusal '" + message + "' does not name the place, for input " + quoted(input), refusal);
            }
            return Optional.empty();
        }
    }

    /** The input as a Java string literal (control characters escaped), cut at 2000 characters. */
    public static String quoted(String input) {
        StringBuilder b = new StringBuilder("\"");
        input.codePoints().limit(2000).forEach(c -> {
            if (c == '"' || c == '\\') {
                b.append('\\').appendCodePoint(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.append(input.length() > 2000 ? "\"..." : "\"").toString();
    }
}
