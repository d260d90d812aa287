package org.virtthrottle.plan;

import java.util.Objects;

/**
 * One step of a change: what it does and how to take it back. {@code undo} is null for steps that
 * leave nothing to undo.
 */
public record Step(String name, Action apply, Action undo) {
    public Step {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(apply, "apply");
    }
}
