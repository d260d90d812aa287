package org.virtthrottle.model;

import org.virtthrottle.VirtThrottleException;

/** Input or configuration that breaks a libvirt/QEMU rule; raised before anything is sent. */
public class InvalidConfigException extends VirtThrottleException {
    private static final long serialVersionUID = 1L;

    public InvalidConfigException(String message) {
        super(message);
    }
}
