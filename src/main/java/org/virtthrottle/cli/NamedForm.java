package org.virtthrottle.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The name virsh gives a positional argument: as in virsh, it may also be given as {@code --NAME VALUE}
 * anywhere on the line ({@code throttlegroupinfo --domain web --group-name g1}). Read by {@link VirshSyntax}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
@interface NamedForm {
    String value();

    /** An empty value means something here (e.g. no groups); elsewhere virsh refuses it. */
    boolean emptyAllowed() default false;
}
