package org.virtthrottle.libvirt;

import org.virtthrottle.VirtThrottleException;

/** A libvirt call failed; the message is libvirt's own. */
public class LibvirtFailure extends VirtThrottleException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public LibvirtFailure(String message, String code, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** libvirt's error number name, e.g. VIR_ERR_NO_DOMAIN_METADATA; empty when unknown. */
    public String code() {
        return code;
    }
}
