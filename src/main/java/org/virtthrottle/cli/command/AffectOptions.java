package org.virtthrottle.cli.command;

import org.virtthrottle.app.AffectedSides;
import org.virtthrottle.cli.output.HelpText;
import picocli.CommandLine.Option;

/** virsh's --config / --live / --current. */
public class AffectOptions {
    @Option(
            names = "--config",
            order = HelpText.AFFECT_OPTIONS,
            description = "affect next boot (the persistent configuration)")
    boolean config;

    @Option(names = "--live", order = HelpText.AFFECT_OPTIONS + 1, description = "affect the running domain")
    boolean live;

    @Option(
            names = "--current",
            order = HelpText.AFFECT_OPTIONS + 2,
            description = "affect the current domain: live when running, else config (default)")
    boolean current;

    AffectedSides sides() {
        return new AffectedSides(live, config, current);
    }
}
