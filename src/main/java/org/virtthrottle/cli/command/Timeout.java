package org.virtthrottle.cli.command;

import org.virtthrottle.app.UsageException;

/** A block job's --timeout as virsh reads it: whole seconds, at least 1. */
final class Timeout {
    private static final int MAX_SECONDS = Integer.MAX_VALUE / 1000;

    private Timeout() {}

    /** The seconds; 0 when the option is absent. */
    static int seconds(String text) {
        if (text == null) {
            return 0;
        }
        try {
            int seconds = Integer.parseInt(text);
            if (seconds > 0 && seconds <= MAX_SECONDS) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // worded below, as virsh does
        }
        throw new UsageException("Numeric value '" + text + "' for <timeout> option is malformed or out of range");
    }
}
