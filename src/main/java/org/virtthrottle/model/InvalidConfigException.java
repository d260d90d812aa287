package org.virtthrottle.model;

import org.virtthrottle.VirtThrottleException;

/** Input or configuration that breaks a libvirt/QEMU rule; raised before anything is sent. */
public class InvalidConfigException extends VirtThrottleException {
    private static final long serialVersionUID = 1L;

    /**
     * libvirt's error class for a rule libvirt itself checks: libvirt's message starts with its words
     * ("invalid argument: ..."), so ours does too, and a script matching virsh's text matches ours.
     */
    public enum Kind {
        /** VIR_ERR_INVALID_ARG */
        INVALID_ARGUMENT("invalid argument"),
        /** VIR_ERR_CONFIG_UNSUPPORTED */
        UNSUPPORTED_CONFIGURATION("unsupported configuration"),
        /** VIR_ERR_ARGUMENT_UNSUPPORTED */
        ARGUMENT_UNSUPPORTED("argument unsupported"),
        /** VIR_ERR_XML_ERROR: libvirt's refusal of a device's XML */
        XML_ERROR("XML error");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        public String message(String text) {
            return words + ": " + text;
        }
    }

    /** A rule of our own (or QEMU's, which upstream only passes on from QEMU): our words alone. */
    public InvalidConfigException(String message) {
        super(message);
    }

    /** A rule libvirt checks, in libvirt's words. */
    public InvalidConfigException(Kind kind, String message) {
        super(kind.message(message));
    }

    /** libvirt's words for a value above {@link ThrottleLimits#VALUE_MAX}. */
    public static InvalidConfigException tooHigh() {
        return new InvalidConfigException(
                Kind.ARGUMENT_UNSUPPORTED,
                "block I/O throttle limit value must be no more than " + ThrottleLimits.VALUE_MAX);
    }
}
