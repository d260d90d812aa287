package org.virtthrottle.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.virtthrottle.app.ActionExecutor;
import org.virtthrottle.app.TierFile;
import org.virtthrottle.cli.output.Output;
import org.virtthrottle.qmp.QmpTransport;
import org.virtthrottle.testing.TestHost;

/** Runs one virt-throttle command line in-process, as a one-shot process would, capturing its output. */
final class CliRunner {
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private CliRunner() {}

    /** The words of a command line written as one string (no word may hold a blank), as a shell splits it. */
    static String[] argv(String commandLine) {
        return commandLine.trim().split(" +");
    }

    static Result run(String... args) {
        return run(UnaryOperator.identity(), args);
    }

    /** Runs with the QMP transport wrapped, e.g. to inject a failure. */
    static Result run(UnaryOperator<QmpTransport> transport, String... args) {
        return run(transport, UnaryOperator.identity(), args);
    }

    /** Runs with the step executor wrapped, e.g. to make the Nth step fail. */
    static Result runWithExecutor(UnaryOperator<ActionExecutor> executor, String... args) {
        return run(UnaryOperator.identity(), executor, args);
    }

    /** Runs with the given tiers file in place of the host's. */
    static Result runWithTiers(Path tiersFile, String... args) {
        return runWithTiersOn(TestHost.URI, tiersFile, args);
    }

    /** Runs with the given tiers file against the hypervisor at {@code uri} (e.g. libvirt's test driver). */
    static Result runWithTiersOn(String uri, Path tiersFile, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (CliContext context = Main.context(new Output(new PrintWriter(out), new PrintWriter(err)), uri)) {
            context.useTiers(new TierFile(tiersFile));
            int code = new Cli(context).run(args);
            return new Result(code, out.toString(), err.toString());
        }
    }

    /** Runs a whole invocation as Main does (batch scripts, -f, piped stdin), with the given stdin. */
    static Result launch(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (CliContext context = Main.context(new Output(new PrintWriter(out), new PrintWriter(err)), TestHost.URI)) {
            int code = new Launcher(
                            new Cli(context),
                            context,
                            new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                            false)
                    .run(args);
            return new Result(code, out.toString(), err.toString());
        }
    }

    private static Result run(
            UnaryOperator<QmpTransport> transport, UnaryOperator<ActionExecutor> executor, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (CliContext context = Main.context(new Output(new PrintWriter(out), new PrintWriter(err)), TestHost.URI)) {
            context.wrapTransport(transport);
            context.wrapExecutor(executor);
            int code = new Cli(context).run(args);
            return new Result(code, out.toString(), err.toString());
        }
    }
}
