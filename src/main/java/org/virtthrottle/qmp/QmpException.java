package org.virtthrottle.qmp;

import org.virtthrottle.VirtThrottleException;

/** QEMU answered a command with an error; keeps QEMU's own class and description. */
public class QmpException extends VirtThrottleException {
    private static final long serialVersionUID = 1L;
    private final String command;
    private final String errorClass;
    private final String desc;

    public QmpException(String command, String errorClass, String desc) {
        super("unable to execute QEMU command '" + command + "': " + desc);
        this.command = command;
        this.errorClass = errorClass;
        this.desc = desc;
    }

    public String command() {
        return command;
    }

    public String errorClass() {
        return errorClass;
    }

    public String desc() {
        return desc;
    }

    /** QEMU's answer for a QOM path or object that does not exist. */
    public boolean isNotFound() {
        return "DeviceNotFound".equals(errorClass) || desc.endsWith(" not found");
    }
}
