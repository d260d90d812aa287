package org.virtthrottle.app;

import org.virtthrottle.VirtThrottleException;

/** The command line itself is wrong (exit status 2, like a parse error). */
public class UsageException extends VirtThrottleException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
