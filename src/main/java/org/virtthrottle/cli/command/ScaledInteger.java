package org.virtthrottle.cli.command;

import org.virtthrottle.app.UsageException;

/**
 * Limit option values ({@link org.virtthrottle.model.ScaledInteger}), with virsh's words for a malformed
 * one: its option parser's line, then domthrottlegroupset's own.
 */
public final class ScaledInteger {
    static final String UNPARSED = "Unable to parse integer parameter";

    private ScaledInteger() {}

    static long parse(String text, String option, boolean scaled) {
        return org.virtthrottle.model.ScaledInteger.parse(text, scaled)
                .orElseThrow(() -> new UsageException(
                        (scaled ? "Scaled numeric value '" : "Numeric value '") + text + "' for <" + option
                                + "> option is malformed or out of range",
                        UNPARSED));
    }
}
