package org.virtthrottle.cli.command;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.virtthrottle.cli.VirshSyntax;

/**
 * The name virsh gives a positional argument: as in virsh, it may also be given as {@code --NAME VALUE}
 * anywhere on the line ({@code throttlegroupinfo --domain web --group-name g1}). Read by {@link VirshSyntax}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface NamedForm {
    String value();

    /** An empty value means something here (e.g. no groups); elsewhere virsh refuses it. */
    boolean emptyAllowed() default false;
}
