package org.virtthrottle.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The limits of one throttle group. Immutable; holds only the non-zero values (0 means "no
 * limit", as in libvirt's XML, where zero values are not written).
 */
public final class ThrottleLimits {
    /** libvirt's and QEMU's upper bound for any throttle value (THROTTLE_VALUE_MAX). */
    public static final long VALUE_MAX = 1_000_000_000_000_000L;
    /** QEMU's bound for {@code *_max_length} (an unsigned int in its throttle config). */
    public static final long LENGTH_MAX = 4_294_967_295L;

    public static final ThrottleLimits NONE = new ThrottleLimits(new EnumMap<>(LimitField.class));

    private final Map<LimitField, Long> values;

    private ThrottleLimits(EnumMap<LimitField, Long> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static ThrottleLimits of(Map<LimitField, Long> values) {
        EnumMap<LimitField, Long> copy = new EnumMap<>(LimitField.class);
        values.forEach((field, value) -> {
            if (value != null && value != 0) {
                copy.put(field, value);
            }
        });
        return new ThrottleLimits(copy);
    }

    public long get(LimitField field) {
        return values.getOrDefault(field, 0L);
    }

    /** The non-zero values in upstream's field order. */
    public Map<LimitField, Long> nonZero() {
        return values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * Checks libvirt's and QEMU's rules, so that nothing invalid is ever sent or stored.
     *
     * @throws InvalidConfigException naming the first rule broken
     */
    public ThrottleLimits validated() {
        for (LimitField f : LimitField.values()) {
            long v = get(f);
            if (v < 0) {
                throw new InvalidConfigException("value '" + f.xmlName() + "' must not be negative (" + v + ")");
            }
            if (v > VALUE_MAX) {
                throw InvalidConfigException.tooHigh();
            }
        }
        for (LimitField f : LimitField.values()) {
            if (f.isTotal() && !f.isMaxLength() && f.family() != LimitField.Family.SIZE && get(f) > 0) {
                LimitField read = LimitField.valueOf(f.name().replaceFirst("^TOTAL_", "READ_"));
                LimitField write = LimitField.valueOf(f.name().replaceFirst("^TOTAL_", "WRITE_"));
                if (get(read) > 0 || get(write) > 0) {
                    throw new InvalidConfigException(
                            InvalidConfigException.Kind.INVALID_ARGUMENT,
                            "total and read/write of " + f.family().label() + " cannot be set at the same time");
                }
            }
        }
        for (LimitField f : LimitField.values()) {
            if (f.family() == LimitField.Family.BYTES_MAX || f.family() == LimitField.Family.IOPS_MAX) {
                long max = get(f);
                long avg = get(f.average());
                // libvirt's words, for a max whose average is 0 whether given as 0 or never given
                if (max > 0 && avg == 0) {
                    throw new InvalidConfigException(
                            InvalidConfigException.Kind.UNSUPPORTED_CONFIGURATION,
                            "cannot reset '" + f.average().xmlName() + "' when '" + f.xmlName() + "' is set");
                }
                if (max > 0 && max < avg) {
                    throw new InvalidConfigException(
                            InvalidConfigException.Kind.UNSUPPORTED_CONFIGURATION,
                            "value '" + f.xmlName() + "' cannot be smaller than '"
                                    + f.average().xmlName() + "'");
                }
            }
        }
        for (LimitField f : LimitField.values()) {
            if (f.isMaxLength() && get(f) > 0) {
                long max = get(f.max());
                if (max == 0) {
                    throw new InvalidConfigException(
                            "value '" + f.xmlName() + "' requires '" + f.max().xmlName() + "' to be set");
                }
                if (get(f) > LENGTH_MAX) {
                    throw new InvalidConfigException("value '" + f.xmlName() + "' must be no more than " + LENGTH_MAX
                            + " (QEMU keeps burst lengths in 32 bits)");
                }
                if (get(f) > VALUE_MAX / max) {
                    throw new InvalidConfigException("value '" + f.xmlName() + "' is too high for '"
                            + f.max().xmlName() + "' (length times max must stay within " + VALUE_MAX + ")");
                }
            }
        }
        if (get(LimitField.SIZE_IOPS_SEC) > 0
                && get(LimitField.TOTAL_IOPS_SEC) == 0
                && get(LimitField.READ_IOPS_SEC) == 0
                && get(LimitField.WRITE_IOPS_SEC) == 0) {
            throw new InvalidConfigException(
                    "value 'size_iops_sec' requires one of 'total_iops_sec', 'read_iops_sec' or 'write_iops_sec'");
        }
        return this;
    }

    /**
     * The same limits with burst lengths of 1 read as unset: QEMU reports 1 for a length nobody
     * set, so 1 and unset are the same state.
     */
    public ThrottleLimits normalized() {
        EnumMap<LimitField, Long> copy = new EnumMap<>(LimitField.class);
        copy.putAll(values);
        copy.replaceAll((field, value) -> field.isMaxLength() && value == 1 ? Long.valueOf(0) : value);
        return of(copy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ThrottleLimits other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
