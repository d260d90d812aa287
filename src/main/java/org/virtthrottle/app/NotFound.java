package org.virtthrottle.app;

import org.virtthrottle.model.Side;

/** The "no such group" message, naming where it was looked for. */
final class NotFound {
    private NotFound() {}

    static String message(String group, Side side) {
        return "throttle group '" + group + "' not found in the "
                + (side == Side.LIVE ? "running domain" : "persistent configuration");
    }
}
