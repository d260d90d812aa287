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

    private QemuLimits() {
    }

    /**
     * Every member, so QEMU ends up with exactly these limits: qom-set merges into the current
     * values, and a member left out would keep whatever QEMU had.
     */
    public static ObjectNode toQemu(ThrottleLimits limits) {
        ObjectNode o = QmpCommand.JSON.createObjectNode();
        for (LimitField f : LimitField.values()) {
            long v = limits.get(f);
            o.put(f.qemuName(), f.isMaxLength() && v == 0 ? DEFAULT_MAX_LENGTH : v);
        }
        return o;
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
