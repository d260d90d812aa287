package org.virtthrottle.app;

import org.virtthrottle.plan.Plan;

/** A change to one domain: what --dry-run prints, and how it is applied. */
public interface Change {
    /** The steps, as exactly as they can be known before applying. */
    Plan preview();

    void apply(DomainSession session);

    /** A change that is its plan, carried out as it is (a use case's result that also reports). */
    interface OfPlan extends Change {
        Plan plan();

        @Override
        default Plan preview() {
            return plan();
        }

        @Override
        default void apply(DomainSession session) {
            session.apply(plan());
        }
    }

    /** A change whose steps are all known up front. */
    static Change of(Plan plan) {
        return of(plan, session -> session.apply(plan));
    }

    /** A change applied its own way (staged, or re-planned when QEMU proves the plan stale). */
    static Change of(Plan preview, java.util.function.Consumer<DomainSession> apply) {
        return new Change() {
            @Override
            public Plan preview() {
                return preview;
            }

            @Override
            public void apply(DomainSession session) {
                apply.accept(session);
            }
        };
    }
}
