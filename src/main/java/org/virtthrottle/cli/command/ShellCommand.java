package org.virtthrottle.cli.command;

import java.util.concurrent.Callable;
import org.virtthrottle.app.UsageException;
import picocli.CommandLine.Command;

@Command(
        name = "shell",
        description = {
            "Start the interactive shell. It is also what virt-throttle does with no command on a terminal: "
                    + "history, TAB completion of commands, options, domains, groups and disk targets, ';' between "
                    + "commands."
        })
public final class ShellCommand implements Callable<Integer> {
    /** The shell itself is started by Launcher; reaching this means a shell inside a shell or batch. */
    @Override
    public Integer call() {
        throw new UsageException("already in a shell");
    }
}
