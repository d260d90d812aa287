package org.virtthrottle.cli.command;

import org.virtthrottle.app.AffectedSides;
import org.virtthrottle.cli.output.HelpText;
import picocli.CommandLine.Option;

/** attach-disk's and detach-disk's sides: virsh's --persistent beside --config / --live / --current. */
public final class DeviceAffectOptions extends AffectOptions {
    @Option(
            names = "--persistent",
            order = HelpText.AFFECT_OPTIONS - 1,
            description = "make live change persistent (config, and live when running)")
    boolean persistent;

    @Override
    AffectedSides sides() {
        return new AffectedSides(live, config, current, persistent);
    }
}
