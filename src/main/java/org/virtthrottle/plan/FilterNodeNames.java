package org.virtthrottle.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Names of our block nodes: throttle filters {@code vtf-<target>-<n>} and the short-lived
 * placeholders {@code vtp-<target>-<n>} that filters of IOThread disks are built on. libvirt names
 * its nodes {@code libvirt-N-*}, so ours never collide; QEMU node names are identifiers of at most
 * 31 characters, so the target part is reduced to letters and digits and capped.
 */
public final class FilterNodeNames {
    public static final String PREFIX = "vtf-";
    public static final String PLACEHOLDER_PREFIX = "vtp-";
    private static final int TARGET_CHARS = 16;

    private FilterNodeNames() {}

    public static boolean isOurs(String nodeName) {
        return nodeName.startsWith(PREFIX) || nodeName.startsWith(PLACEHOLDER_PREFIX);
    }

    /** {@code count} names for the target's filters, none of them in {@code taken}. */
    public static List<String> allocate(String target, int count, Set<String> taken) {
        return allocate(PREFIX, target, count, taken);
    }

    /** A name for a placeholder node under one of the target's filters, not in {@code taken}. */
    public static String placeholder(String target, Set<String> taken) {
        return allocate(PLACEHOLDER_PREFIX, target, 1, taken).get(0);
    }

    private static List<String> allocate(String prefix, String target, int count, Set<String> taken) {
        String t = target.replaceAll("[^A-Za-z0-9]", "");
        if (t.length() > TARGET_CHARS) {
            t = t.substring(0, TARGET_CHARS);
        }
        List<String> names = new ArrayList<>();
        for (int n = 0; names.size() < count; n++) {
            String name = prefix + t + "-" + n;
            if (!taken.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
