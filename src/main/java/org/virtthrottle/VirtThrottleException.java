package org.virtthrottle;

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
}
