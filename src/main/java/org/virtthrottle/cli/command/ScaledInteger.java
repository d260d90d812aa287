package org.virtthrottle.cli.command;

import org.virtthrottle.app.UsageException;

/** Limit option values ({@link org.virtthrottle.model.ScaledInteger}), with virsh's words for a malformed one. */
public final class ScaledInteger {
    private ScaledInteger() {}

    static long parse(String text, String option, boolean scaled) {
        return org.virtthrottle.model.ScaledInteger.parse(text, scaled, "--" + option + " " + text)
                .orElseThrow(() -> new UsageException(
                        "Numeric value '" + text + "' for <" + option + "> option is malformed or out of range"));
    }
}
