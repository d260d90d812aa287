package org.virtthrottle.app;

import org.virtthrottle.VirtThrottleException;

/** A step of a plan failed; the steps before it were undone (or the message says which were not). */
public class StepFailedException extends VirtThrottleException {
    private static final long serialVersionUID = 1L;

    public StepFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
