package org.virtthrottle.cli.command;

import org.virtthrottle.app.UsageException;
import org.virtthrottle.model.InvalidConfigException;
import org.virtthrottle.model.ScaledInteger;

/**
 * A block job's --bandwidth as virsh reads it: a plain number is MiB/s (bytes/s with --bytes); a
 * number with a unit is bytes, whole MiB/s of it without --bytes (so 512K is 0: unlimited).
 */
final class Bandwidth {
    private static final int MIB_SHIFT = 20;

    private Bandwidth() {}

    /** In bytes/s; 0 (unlimited) when the option is absent. */
    static long bytesPerSecond(String text, boolean bytes) {
        if (text == null) {
            return 0;
        }
        String malformed = "Scaled numeric value '" + text + "' for <--bandwidth> option is malformed or out of range";
        long value;
        try {
            value = ScaledInteger.parse(text, true).orElseThrow(() -> new UsageException(malformed));
        } catch (InvalidConfigException e) {
            throw new UsageException(malformed);
        }
        if (bytes) {
            return value;
        }
        long mib = text.chars().allMatch(Character::isDigit) ? value : value >> MIB_SHIFT;
        if (mib > Long.MAX_VALUE >> MIB_SHIFT) {
            throw new UsageException(malformed);
        }
        return mib << MIB_SHIFT;
    }
}
