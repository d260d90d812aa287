package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.app.Hypervisor;
import org.virtthrottle.app.Hypervisors;
import org.virtthrottle.cli.output.Output;
import org.virtthrottle.cli.shell.Batch;
import org.virtthrottle.testing.HostileInput;
import org.virtthrottle.testing.SeedMutations;

/**
 * Batch scripts as users type them (the splitter, virsh's forms, picocli's parsing and each command's
 * checks of every command): each command succeeds, or fails with one error line; never an internal
 * error, a stack trace or a hang. No hypervisor is there: opening one fails, so nothing can be sent.
 */
class CommandLineFuzzTest {
    private static final String NO_HYPERVISOR = "no hypervisor while fuzzing";
    private static final List<String> TOKENS = List.of(
            " ",
            ";",
            "\n",
            "'",
            "\"",
            "\\",
            "#",
            "--",
            "-",
            "=",
            ",",
            "--live",
            "--config",
            "--current",
            "--dry-run",
            "--json",
            "-q",
            "--inactive",
            "--all",
            "--total-bytes-sec",
            "--read-iops-sec-max-length",
            "--size-iops-sec",
            "--throttle-groups",
            "--bandwidth",
            "--timeout",
            "--interval",
            "--count",
            "--help",
            "-h",
            "--version",
            "10M",
            "1GiB",
            "500KB",
            "-1",
            "0",
            "1000000000000000",
            "1000000000000001",
            "99999999999999999999",
            "1e3",
            "0x10",
            "throttlegroupset",
            "domthrottlegroupset",
            "throttlefilterset",
            "attach-disk",
            "detach-disk",
            "apply",
            "export",
            "reconcile",
            "blockcopy",
            "blockjob",
            "migrate",
            "throttlestat",
            "complete",
            "help",
            "quit");

    /** The hypervisors of this test: there is none; a command that gets this far has passed its own checks. */
    private static final Hypervisors NONE = new Hypervisors() {
        @Override
        public Hypervisor open(String uri, boolean readOnly, Consumer<String> debug) {
            throw new VirtThrottleException(NO_HYPERVISOR);
        }

        /** watch asks for events first; it would then retry opening for ever, as a service should. */
        @Override
        public void enableEvents() {
            throw new VirtThrottleException(NO_HYPERVISOR);
        }

        @Override
        public void logTo(Path file) {}

        @Override
        public SandboxGuest startSandbox(Hypervisor hypervisor, Path root) {
            throw new VirtThrottleException(NO_HYPERVISOR);
        }
    };

    /** 'apply -' reads standard input: here an empty one, not surefire's channel to its fork. */
    @BeforeAll
    static void emptyStandardInput() {
        System.setIn(new ByteArrayInputStream(new byte[0]));
    }

    static void check(String script) {
        // file arguments may name anything; reading devices (/dev/zero, /dev/stdin) would only block this test
        if (script.contains("/dev") || script.contains("/proc") || script.contains("/sys")) {
            return;
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = HostileInput.parsedOrRefused(script, message -> false, () -> {
                    try (CliContext context =
                            new CliContext(NONE, new Output(new PrintWriter(out), new PrintWriter(err)), null)) {
                        return new Batch(new Cli(context), context, List.of()).run(script, "fuzz ", false);
                    }
                })
                .orElseThrow();
        assertThat(status).as("exit status").isBetween(Cli.OK, Cli.USAGE);
        assertThat(err.toString()).as("standard error").doesNotContain("internal error");
        if (!script.contains("--debug")) {
            assertThat(err.toString().lines())
                    .as("standard error")
                    .allMatch(line -> line.startsWith("error: ") || line.startsWith("{\"error\":"));
        }
    }

    @FuzzTest
    void script(byte[] input) {
        check(new String(input, StandardCharsets.UTF_8));
    }

    @Test
    void generatedScripts() {
        SeedMutations.check(getClass(), "script", TOKENS, 300, CommandLineFuzzTest::check);
    }
}
