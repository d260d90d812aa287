package org.virtthrottle.cli.command;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.app.UsageException;

/**
 * A failure headed by virsh's line for the libvirt call that failed ("Unable to set throttle
 * group"), printed before the failure's own lines, as virsh prints them. The message (and so the
 * JSON error) stays the failure's own.
 */
final class FailedCall extends VirtThrottleException {
    private static final long serialVersionUID = 1L;
    private final String heading;

    private FailedCall(String heading, VirtThrottleException failure) {
        super(failure.getMessage(), failure);
        this.heading = heading;
    }

    /** What {@code body} returns; its failures, except a wrong command line, headed by {@code heading}. */
    static <T> T headed(String heading, Supplier<T> body) {
        try {
            return body.get();
        } catch (UsageException e) {
            throw e;
        } catch (VirtThrottleException e) {
            throw new FailedCall(heading, e);
        }
    }

    @Override
    public List<String> lines() {
        List<String> lines = new ArrayList<>(List.of(heading));
        lines.addAll(((VirtThrottleException) getCause()).lines());
        return lines;
    }
}
