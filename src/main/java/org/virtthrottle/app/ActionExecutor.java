package org.virtthrottle.app;

import org.virtthrottle.plan.Action;

/** Carries out one action against a domain. */
@FunctionalInterface
public interface ActionExecutor {
    void execute(Action action);
}
