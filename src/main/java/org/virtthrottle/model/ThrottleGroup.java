package org.virtthrottle.model;

import java.util.Objects;

/** A named throttle group: one shared set of limits that any number of disks' filters draw from. */
public record ThrottleGroup(String name, ThrottleLimits limits) {
    public ThrottleGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(limits, "limits");
    }
}
