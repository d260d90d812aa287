package org.virtthrottle.cli.command;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.virtthrottle.cli.VirshSyntax;

/**
 * An option whose empty value means something ({@code --tier ''}: leave the tier), which virsh's rule
 * for string options would refuse. Read by {@link VirshSyntax}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface EmptyAllowed {}
