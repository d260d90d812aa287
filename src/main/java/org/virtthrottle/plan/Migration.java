package org.virtthrottle.plan;

import java.util.List;

/**
 * A migration as virsh migrate asks libvirt for it (virDomainMigrate3): its flags and typed
 * parameters; null strings and an empty disk list are left out (libvirt's defaults: every disk that
 * is not shared or read-only is copied with --copy-storage-*).
 */
public record Migration(
        boolean live,
        boolean offline,
        boolean persistent,
        boolean undefineSource,
        boolean suspend,
        boolean copyStorageAll,
        boolean copyStorageInc,
        boolean unsafe,
        boolean autoConverge,
        List<String> disks,
        String migrateUri,
        String listenAddress,
        String destinationName,
        String destinationXml) {
    public Migration {
        disks = List.copyOf(disks);
    }

    /** Whether libvirt mirrors disks to the destination (over NBD, with blockdev-mirror). */
    public boolean copiesStorage() {
        return copyStorageAll || copyStorageInc;
    }
}
