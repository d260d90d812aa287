package org.virtthrottle.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The limits a user gave on one command line. Applied to a group's current limits with libvirt's
 * family semantics: a family any of whose fields is given is replaced as a whole (its other
 * members become 0), the other families keep their values. So `--read-bytes-sec 5M` on a group
 * with `total_bytes_sec` switches it from total to read/write, and `--total-iops-sec 0` clears it.
 */
public final class LimitsUpdate {
    private final Map<LimitField, Long> given;

    private LimitsUpdate(EnumMap<LimitField, Long> given) {
        this.given = Collections.unmodifiableMap(given);
    }

    /**
     * @throws InvalidConfigException for a given value that is never valid on its own (a max
     *     length of 0: QEMU's burst lengths start at 1)
     */
    public static LimitsUpdate of(Map<LimitField, Long> given) {
        EnumMap<LimitField, Long> copy = given.isEmpty() ? new EnumMap<>(LimitField.class) : new EnumMap<>(given);
        copy.forEach((field, value) -> {
            if (field.isMaxLength() && value == 0) {
                throw new InvalidConfigException("value '" + field.xmlName() + "' must be at least 1");
            }
        });
        return new LimitsUpdate(copy);
    }

    public Map<LimitField, Long> given() {
        return given;
    }

    public boolean isEmpty() {
        return given.isEmpty();
    }

    /** The merged limits, validated as a whole (QEMU validates the merged result too). */
    public ThrottleLimits applyTo(ThrottleLimits current) {
        Set<LimitField.Family> replaced = EnumSet.noneOf(LimitField.Family.class);
        given.keySet().forEach(f -> replaced.add(f.family()));
        EnumMap<LimitField, Long> merged = new EnumMap<>(LimitField.class);
        for (LimitField f : LimitField.values()) {
            merged.put(f, replaced.contains(f.family()) ? given.getOrDefault(f, 0L) : current.get(f));
        }
        // A burst length only means something with its burst max: keep an old one only where
        // the merged max is still set, so clearing a max does not strand its length.
        for (LimitField f : LimitField.values()) {
            if (f.isMaxLength() && !given.containsKey(f) && merged.get(f.max()) == 0) {
                merged.put(f, 0L);
            }
        }
        return ThrottleLimits.of(merged).validated();
    }
}
