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
    private Main() {}

    public static void main(String[] args) {
        StartupMarks.enableFor(args);
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8));
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // what picocli prints for it, without the commands' model that it would build first
            for (String line : new Version().getVersion()) {
                out.println(line);
            }
            out.flush();
            return;
        }
        int status;
        try (CliContext context = context(new Output(out, err), System.getenv("LIBVIRT_DEFAULT_URI"))) {
            // System.console() is null when stdin or stdout is not a terminal: then commands come from stdin
            Cli cli = new Cli(context);
            StartupMarks.mark("cli");
            status = new Launcher(cli, context, System.in, System.console() != null).run(args);
        }
        StartupMarks.mark("exit");
        StartupMarks.print(err);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** The context every command runs in, wired to libvirt. */
    public static CliContext context(Output output, String environmentUri) {
        return new CliContext(new LibvirtHypervisors(), output, environmentUri);
    }
}
