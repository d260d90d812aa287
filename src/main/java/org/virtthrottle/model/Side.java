package org.virtthrottle.model;

/** Which definition of a domain a change affects: the running one or the persistent one. */
public enum Side {
    LIVE,
    CONFIG;

    public String label() {
        return this == LIVE ? "live" : "config";
    }
}
