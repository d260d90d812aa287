package org.virtthrottle.testing;

import java.util.List;

/** A snapshot of what virt-throttle can change on a guest; equal snapshots mean "nothing changed". */
public record GuestState(
        List<String> throttleGroups,
        List<String> limits,
        List<String> blockNodes,
        String liveXml,
        String inactiveXml) {}
