package org.virtthrottle.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.libvirt.Domain.MigrateFlags;
import org.virtthrottle.plan.Migration;

/**
 * virDomainMigrate3, bound with JNA on library "virt": libvirt-java's binding fills its typed
 * parameters' value union without choosing a member, as its blockCopy does (see {@link BlockJobApi}).
 * Called on our own virDomainPtr (see {@link NativeThrottleApi#lookup}).
 */
final class MigrateApi {
    private interface Virt extends Library {
        Pointer virDomainMigrate3(
                Pointer dom, Pointer dconn, NativeThrottleApi.TypedParameter[] params, int nparams, int flags);
    }

    private static Virt virt;

    private MigrateApi() {}

    private static synchronized Virt virt() {
        if (virt == null) {
            virt = Native.load("virt", Virt.class);
        }
        return virt;
    }

    static int flags(Migration m) {
        return (m.live() ? MigrateFlags.LIVE : 0)
                | (m.offline() ? MigrateFlags.OFFLINE : 0)
                | (m.persistent() ? MigrateFlags.PERSIST_DEST : 0)
                | (m.undefineSource() ? MigrateFlags.UNDEFINE_SOURCE : 0)
                | (m.suspend() ? MigrateFlags.PAUSED : 0)
                | (m.copyStorageAll() ? MigrateFlags.NON_SHARED_DISK : 0)
                | (m.copyStorageInc() ? MigrateFlags.NON_SHARED_INC : 0)
                | (m.unsafe() ? MigrateFlags.UNSAFE : 0)
                | (m.autoConverge() ? MigrateFlags.AUTO_CONVERGE : 0);
    }

    /** The string parameters virsh sends, one migrate_disks entry per disk. */
    static List<Map.Entry<String, String>> parameters(Migration m) {
        Map<String, String> single = new LinkedHashMap<>();
        single.put("migrate_uri", m.migrateUri());
        single.put("listen_address", m.listenAddress());
        single.put("destination_name", m.destinationName());
        single.put("destination_xml", m.destinationXml());
        List<Map.Entry<String, String>> params = new ArrayList<>();
        single.forEach((name, value) -> {
            if (value != null) {
                params.add(Map.entry(name, value));
            }
        });
        m.disks().forEach(disk -> params.add(Map.entry("migrate_disks", disk)));
        return params;
    }

    /** Migrates the domain with this UUID from {@code conn} to {@code dconn}; blocks until libvirt is done. */
    static void migrate(Pointer conn, Pointer dconn, String uuid, Migration m) {
        List<Map.Entry<String, String>> values = parameters(m);
        NativeThrottleApi.TypedParameter[] params = values.isEmpty()
                ? null
                : (NativeThrottleApi.TypedParameter[]) new NativeThrottleApi.TypedParameter().toArray(values.size());
        List<Memory> strings = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            Memory text = NativeThrottleApi.utf8(values.get(i).getValue());
            strings.add(text);
            params[i].string(values.get(i).getKey(), text);
        }
        Pointer dom = NativeThrottleApi.lookup(conn, uuid);
        try {
            Pointer migrated = virt().virDomainMigrate3(dom, dconn, params, values.size(), flags(m));
            if (migrated == null) {
                throw NativeThrottleApi.failure();
            }
            NativeThrottleApi.free(migrated);
        } finally {
            NativeThrottleApi.free(dom);
            // the strings hang off the parameters: alive until libvirt is done with them
            Reference.reachabilityFence(strings);
            Reference.reachabilityFence(params);
        }
    }
}
