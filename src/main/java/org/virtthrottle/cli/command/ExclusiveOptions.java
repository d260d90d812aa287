package org.virtthrottle.cli.command;

import org.virtthrottle.app.UsageException;

/** virsh's check of two options that cannot be given together (VSH_EXCLUSIVE_OPTIONS), with its words. */
final class ExclusiveOptions {
    private ExclusiveOptions() {}

    static void check(boolean a, String aName, boolean b, String bName) {
        if (a && b) {
            throw new UsageException("Options --" + aName + " and --" + bName + " are mutually exclusive");
        }
    }
}
