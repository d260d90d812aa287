package org.virtthrottle;

import java.util.List;

/**
 * A failure the user must see: its message is the one-line error text printed after "error: ".
 * Every layer throws subclasses of this, so the CLI has one place that turns failures into output.
 */
public class VirtThrottleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VirtThrottleException(String message) {
        super(message);
    }

    public VirtThrottleException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The error lines to print, each after "error: ": the message alone for most failures; virsh
     * prints more for some (its own line about a failed call, then libvirt's).
     */
    public List<String> lines() {
        return List.of(getMessage());
    }
}
