package org.virtthrottle.model;

import java.util.Locale;

/**
 * The 19 throttle limits, in upstream libvirt's order (XML children, virsh info output and
 * option list all use it), with their names in the domain XML and in QEMU's ThrottleLimits.
 */
public enum LimitField {
    TOTAL_BYTES_SEC(Family.BYTES, "bps-total"),
    READ_BYTES_SEC(Family.BYTES, "bps-read"),
    WRITE_BYTES_SEC(Family.BYTES, "bps-write"),
    TOTAL_IOPS_SEC(Family.IOPS, "iops-total"),
    READ_IOPS_SEC(Family.IOPS, "iops-read"),
    WRITE_IOPS_SEC(Family.IOPS, "iops-write"),
    TOTAL_BYTES_SEC_MAX(Family.BYTES_MAX, "bps-total-max"),
    READ_BYTES_SEC_MAX(Family.BYTES_MAX, "bps-read-max"),
    WRITE_BYTES_SEC_MAX(Family.BYTES_MAX, "bps-write-max"),
    TOTAL_IOPS_SEC_MAX(Family.IOPS_MAX, "iops-total-max"),
    READ_IOPS_SEC_MAX(Family.IOPS_MAX, "iops-read-max"),
    WRITE_IOPS_SEC_MAX(Family.IOPS_MAX, "iops-write-max"),
    SIZE_IOPS_SEC(Family.SIZE, "iops-size"),
    TOTAL_BYTES_SEC_MAX_LENGTH(Family.BYTES_MAX_LENGTH, "bps-total-max-length"),
    READ_BYTES_SEC_MAX_LENGTH(Family.BYTES_MAX_LENGTH, "bps-read-max-length"),
    WRITE_BYTES_SEC_MAX_LENGTH(Family.BYTES_MAX_LENGTH, "bps-write-max-length"),
    TOTAL_IOPS_SEC_MAX_LENGTH(Family.IOPS_MAX_LENGTH, "iops-total-max-length"),
    READ_IOPS_SEC_MAX_LENGTH(Family.IOPS_MAX_LENGTH, "iops-read-max-length"),
    WRITE_IOPS_SEC_MAX_LENGTH(Family.IOPS_MAX_LENGTH, "iops-write-max-length");

    /**
     * Fields that libvirt replaces together: setting any member of a family takes the whole
     * family from the new values (unset members become 0), as `virsh blkdeviotune` does.
     */
    public enum Family {
        BYTES,
        IOPS,
        BYTES_MAX,
        IOPS_MAX,
        SIZE,
        BYTES_MAX_LENGTH,
        IOPS_MAX_LENGTH;

        /** Text used in libvirt's "total and read/write of X cannot be set" message. */
        public String label() {
            return switch (this) {
                case BYTES -> "bytes_sec";
                case IOPS -> "iops_sec";
                case BYTES_MAX -> "bytes_sec_max";
                case IOPS_MAX -> "iops_sec_max";
                case SIZE -> "size_iops_sec";
                case BYTES_MAX_LENGTH -> "bytes_sec_max_length";
                case IOPS_MAX_LENGTH -> "iops_sec_max_length";
            };
        }
    }

    private final Family family;
    private final String qemuName;

    LimitField(Family family, String qemuName) {
        this.family = family;
        this.qemuName = qemuName;
    }

    public Family family() {
        return family;
    }

    /** Element name in the domain XML and key in virsh output, e.g. {@code total_bytes_sec}. */
    public String xmlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Option name without dashes, e.g. {@code total-bytes-sec}. */
    public String optionName() {
        return xmlName().replace('_', '-');
    }

    /** Member name in QEMU's ThrottleLimits, e.g. {@code bps-total}. */
    public String qemuName() {
        return qemuName;
    }

    /** Byte quantities accept scaled values such as 10M. */
    public boolean isByteQuantity() {
        return family == Family.BYTES || family == Family.BYTES_MAX || family == Family.SIZE;
    }

    public boolean isMaxLength() {
        return family == Family.BYTES_MAX_LENGTH || family == Family.IOPS_MAX_LENGTH;
    }

    public boolean isTotal() {
        return name().startsWith("TOTAL_");
    }

    /** For a *_max field: its average (total_bytes_sec_max -> total_bytes_sec). */
    public LimitField average() {
        return valueOf(name().substring(0, name().length() - "_MAX".length()));
    }

    /** For a *_max_length field: its burst maximum (total_bytes_sec_max_length -> total_bytes_sec_max). */
    public LimitField max() {
        return valueOf(name().substring(0, name().length() - "_LENGTH".length()));
    }

    public static LimitField fromXmlName(String name) {
        for (LimitField f : values()) {
            if (f.xmlName().equals(name)) {
                return f;
            }
        }
        return null;
    }

    public String help() {
        String direction = isTotal() ? "total" : name().startsWith("READ_") ? "read" : "write";
        return switch (family) {
            case BYTES -> direction + " throughput limit, as scaled integer (default bytes)";
            case IOPS -> direction + " I/O operations limit per second";
            case BYTES_MAX -> direction + " max, as scaled integer (default bytes)";
            case IOPS_MAX -> direction + " I/O operations max";
            case SIZE -> "I/O size in bytes";
            case BYTES_MAX_LENGTH -> "duration in seconds to allow " + direction + " max bytes";
            case IOPS_MAX_LENGTH -> "duration in seconds to allow " + direction + " I/O operations max";
        };
    }
}
