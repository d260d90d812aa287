package org.virtthrottle.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.virtthrottle.stats.DiskCounters;
import org.virtthrottle.stats.DomainCounters;

/**
 * libvirt's bulk stats calls, which libvirt-java does not wrap: {@code virConnectGetAllDomainStats}
 * and {@code virDomainListGetStats}, asking for the state and block groups only, so one call reads
 * every disk's counters of every domain asked for. Bound with JNA on library "virt"; the records'
 * parameters are read with {@link NativeThrottleApi.TypedParameter}.
 */
final class BlockStatsApi {
    private static final int STATS_STATE = 1; // VIR_DOMAIN_STATS_STATE
    private static final int STATS_BLOCK = 32; // VIR_DOMAIN_STATS_BLOCK
    private static final int ACTIVE_ONLY = 1; // VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE
    private static final int STATE_SHUTOFF = 5; // VIR_DOMAIN_SHUTOFF

    /** virDomainStatsRecord: {@code virDomainPtr dom; virTypedParameterPtr params; int nparams}. */
    @Structure.FieldOrder({"dom", "params", "nparams"})
    public static final class StatsRecord extends Structure {
        public Pointer dom;
        public Pointer params;
        public int nparams;

        public StatsRecord(Pointer memory) {
            super(memory);
            read();
        }
    }

    private interface Virt extends Library {
        int virConnectGetAllDomainStats(Pointer conn, int stats, PointerByReference records, int flags);

        int virDomainListGetStats(Pointer[] doms, int stats, PointerByReference records, int flags);

        void virDomainStatsRecordListFree(Pointer records);

        String virDomainGetName(Pointer dom);

        int virDomainGetID(Pointer dom);
    }

    private static Virt virt;

    private BlockStatsApi() {}

    private static synchronized Virt virt() {
        if (virt == null) {
            virt = Native.load("virt", Virt.class);
        }
        return virt;
    }

    /** Every running domain's counters. */
    static List<DomainCounters> running(Pointer conn) {
        PointerByReference records = new PointerByReference();
        int n = virt().virConnectGetAllDomainStats(conn, STATS_STATE | STATS_BLOCK, records, ACTIVE_ONLY);
        return counters(n, records);
    }

    /** The counters of these domains (our own virDomainPtrs), in their order. */
    static List<DomainCounters> of(List<Pointer> domains) {
        Pointer[] list = domains.toArray(new Pointer[domains.size() + 1]); // NULL-terminated
        PointerByReference records = new PointerByReference();
        int n = virt().virDomainListGetStats(list, STATS_STATE | STATS_BLOCK, records, 0);
        return counters(n, records);
    }

    private static List<DomainCounters> counters(int n, PointerByReference records) {
        long nanos = System.nanoTime();
        if (n < 0) {
            throw NativeThrottleApi.failure();
        }
        Pointer list = records.getValue();
        try {
            List<DomainCounters> result = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                StatsRecord record = new StatsRecord(list.getPointer((long) i * Native.POINTER_SIZE));
                result.add(parse(virt().virDomainGetName(record.dom), record, nanos));
            }
            return result;
        } finally {
            virt().virDomainStatsRecordListFree(list);
        }
    }

    /** The state.state and block.N.{name,rd.reqs,rd.bytes,wr.reqs,wr.bytes} parameters of one record. */
    private static DomainCounters parse(String domain, StatsRecord record, long nanos) {
        Map<String, NativeThrottleApi.TypedParameter> params = new HashMap<>();
        if (record.nparams > 0) {
            for (var p : (NativeThrottleApi.TypedParameter[])
                    new NativeThrottleApi.TypedParameter(record.params).toArray(record.nparams)) {
                params.put(p.name(), p);
            }
        }
        boolean running =
                params.containsKey("state.state") && params.get("state.state").integer() != STATE_SHUTOFF;
        // the record's own virDomainPtr holds the id the daemon sent with it: no call of its own
        int id = running ? virt().virDomainGetID(record.dom) : -1;
        Map<String, DiskCounters> disks = new LinkedHashMap<>();
        long count =
                params.containsKey("block.count") ? params.get("block.count").integer() : 0;
        for (int i = 0; i < count; i++) {
            String prefix = "block." + i + ".";
            if (params.containsKey(prefix + "name")) {
                disks.put(
                        params.get(prefix + "name").string(),
                        new DiskCounters(
                                value(params, prefix + "rd.reqs"),
                                value(params, prefix + "rd.bytes"),
                                value(params, prefix + "wr.reqs"),
                                value(params, prefix + "wr.bytes")));
            }
        }
        return new DomainCounters(domain, id, nanos, disks);
    }

    /** A counter libvirt left out (a drive without media has none) is 0. */
    private static long value(Map<String, NativeThrottleApi.TypedParameter> params, String name) {
        var p = params.get(name);
        return p == null ? 0 : p.integer();
    }
}
