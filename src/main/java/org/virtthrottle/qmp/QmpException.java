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

    /** QEMU's answer to object-add for an id that exists already. */
    public boolean isDuplicate() {
        return desc.startsWith("attempt to add duplicate property");
    }

    /** QEMU's answer to object-del for an object some node still uses. */
    public boolean isInUse() {
        return desc.endsWith("is in use, can not be deleted");
    }

    /** QEMU's answer for a QOM path or object that does not exist. */
    public boolean isNotFound() {
        return "DeviceNotFound".equals(errorClass) || desc.endsWith(" not found");
    }
}
