package org.virtthrottle.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.virtthrottle.cli.output.Output;
import org.virtthrottle.libvirt.LibvirtHypervisors;

/**
 * Entry point of bin/virt-throttle and the composition root: the one place outside the
 * {@code libvirt} package that knows libvirt is what the commands talk to.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8));
        int status;
        try (CliContext context = context(new Output(out, err), System.getenv("LIBVIRT_DEFAULT_URI"))) {
            // System.console() is null when stdin or stdout is not a terminal: then commands come from stdin
            status = new Launcher(new Cli(context), context, System.in, System.console() != null).run(args);
        }
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** The context every command runs in, wired to libvirt. */
    public static CliContext context(Output output, String environmentUri) {
        return new CliContext(new LibvirtHypervisors(), output, environmentUri);
    }
}
