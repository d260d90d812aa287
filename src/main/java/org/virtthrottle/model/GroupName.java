package org.virtthrottle.model;

import java.util.regex.Pattern;

/**
 * Throttle group names. A group becomes QEMU object {@code throttle-<name>} (upstream's naming, so
 * ids match libvirt 11.2+), so a group is only created or changed under a name QEMU takes, on any
 * side; names the XML holds from elsewhere can still be read and deleted.
 */
public final class GroupName {
    public static final String QOM_PREFIX = "throttle-";
    private static final Pattern QEMU_ID_TAIL = Pattern.compile("[A-Za-z0-9._-]+");

    private GroupName() {}

    /** Checks a name that is looked up or deleted: anything the XML can carry. */
    public static String checkForConfig(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidConfigException("throttle group name must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {
                throw new InvalidConfigException("throttle group name '" + name + "' contains a control character");
            }
        }
        return name;
    }

    /** Checks a name a group is created or changed under: it becomes the QEMU object id throttle-NAME. */
    public static String checkForLive(String name) {
        checkForConfig(name);
        if (!QEMU_ID_TAIL.matcher(name).matches()) {
            throw new InvalidConfigException("throttle group name '" + name + "' cannot be used live: QEMU object id '"
                    + QOM_PREFIX + name + "' may only contain letters, digits, '-', '.' and '_'");
        }
        return name;
    }

    public static String qomId(String name) {
        return QOM_PREFIX + name;
    }

    /** The group name in a QOM id of ours (throttle-NAME); other ids, and null, as they are. */
    public static String fromQomId(String id) {
        return id != null && id.startsWith(QOM_PREFIX) ? id.substring(QOM_PREFIX.length()) : id;
    }
}
