package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.List;
import org.virtthrottle.VirtThrottleException;

/** The command line itself is wrong (exit status 2, like a parse error). */
public class UsageException extends VirtThrottleException {
    private static final long serialVersionUID = 1L;
    private final String followedBy;

    public UsageException(String message) {
        this(message, null);
    }

    /** With a second line after the message, as virsh prints one after some parse errors. */
    public UsageException(String message, String followedBy) {
        super(message);
        this.followedBy = followedBy;
    }

    @Override
    public List<String> lines() {
        List<String> lines = new ArrayList<>(super.lines());
        if (followedBy != null) {
            lines.add(followedBy);
        }
        return lines;
    }
}
