package org.virtthrottle.cli.completion;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The kind of names an argument or option value completes to, bound where the argument is declared
 * (as virsh's {@code .completer} per option). Read by {@link Completions}, which the shell's TAB, the
 * hidden complete command and so the bash script all use.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface CompletedWith {
    Names value();

    /** The values offered for {@link Names#VALUES}. */
    String[] values() default {};

    /** The kinds of names there are to complete. */
    enum Names {
        /** Domain names, from libvirt. */
        DOMAIN,
        /** Throttle groups of the domain on the line (live, or the config with --inactive/--config). */
        GROUP,
        /** A comma separated list of groups: completes after the last comma, leaving out those listed. */
        GROUP_LIST,
        /** Disk targets of the domain on the line. */
        TARGET,
        FILE,
        COMMAND,
        /** Connection URIs: $LIBVIRT_DEFAULT_URI, then libvirt's usual QEMU ones. */
        URI,
        /** Tiers of the host's tiers file. */
        TIER,
        /** The fixed {@link CompletedWith#values()}. */
        VALUES
    }
}
