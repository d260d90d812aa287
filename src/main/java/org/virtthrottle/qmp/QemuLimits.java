package org.virtthrottle.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumMap;
import java.util.Map;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.ThrottleLimits;

/** Converts between our limits and QEMU's ThrottleLimits QAPI struct. */
public final class QemuLimits {
    /** QEMU's value for an unset burst length. */
    private static final long DEFAULT_MAX_LENGTH = 1;

    private QemuLimits() {}

    /** The members that differ from a new group's defaults (QEMU fills in the rest). */
    public static ObjectNode toQemu(ThrottleLimits limits) {
        return changes(ThrottleLimits.NONE, limits);
    }

    /**
     * The members whose value goes from {@code from} to {@code to}. qom-set merges them into the
     * current values, so this is all QEMU needs when it has {@code from}; it costs QEMU half the
     * time of setting all 19 members.
     */
    public static ObjectNode changes(ThrottleLimits from, ThrottleLimits to) {
        ObjectNode o = Json.NODES.objectNode();
        for (LimitField f : LimitField.values()) {
            long before = qemuValue(f, from.get(f));
            long after = qemuValue(f, to.get(f));
            if (before != after) {
                o.put(f.qemuName(), after);
            }
        }
        return o;
    }

    private static long qemuValue(LimitField f, long value) {
        return f.isMaxLength() && value == 0 ? DEFAULT_MAX_LENGTH : value;
    }

    /** QEMU reports 1 for a burst length nobody set; it reads back as unset, as in libvirt's XML. */
    public static ThrottleLimits fromQemu(JsonNode qemu) {
        Map<LimitField, Long> values = new EnumMap<>(LimitField.class);
        for (LimitField f : LimitField.values()) {
            JsonNode v = qemu.get(f.qemuName());
            if (v != null && v.canConvertToLong()) {
                long value = v.asLong();
                values.put(f, f.isMaxLength() && value == DEFAULT_MAX_LENGTH ? 0 : value);
            }
        }
        return ThrottleLimits.of(values);
    }
}
