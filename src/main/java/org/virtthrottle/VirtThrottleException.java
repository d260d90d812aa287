package org.virtthrottle;

import java.util.List;

/**
 * A failure the user must see: its message is the one-line error text printed after "error: ".
 * Every layer throws subclasses of this, so the CLI has one place that turns failures into output.
 * Messages quote what users, files, libvirt and QEMU wrote; control characters in it are shown
 * escaped ({@code \x0a}), so a quoted newline can neither split the error line nor forge another.
 */
public class VirtThrottleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VirtThrottleException(String message) {
        super(oneLine(message));
    }

    public VirtThrottleException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** The text with every control character (newlines, tabs, escapes, DEL) as {@code \xNN}. */
    public static String oneLine(String text) {
        if (text == null || text.chars().noneMatch(VirtThrottleException::isControl)) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 8);
        text.chars().forEach(c -> {
            if (isControl(c)) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.append((char) c);
            }
        });
        return b.toString();
    }

    private static boolean isControl(int c) {
        return c < 0x20 || c == 0x7f;
    }

    /**
     * The error lines to print, each after "error: ": the message alone for most failures; virsh
     * prints more for some (its own line about a failed call, then libvirt's).
     */
    public List<String> lines() {
        return List.of(getMessage());
    }
}
