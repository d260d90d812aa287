package org.virtthrottle.libvirt;

import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import org.virtthrottle.app.Hypervisor;
import org.virtthrottle.stats.DomainCounters;

/**
 * Reads the disk counters of a fixed set of domains, one {@code virDomainListGetStats} call per
 * read for all of them; the domains are looked up once, when it is made.
 */
public final class BlockStatsReader implements Hypervisor.BlockCounterReader {
    private final List<Pointer> domains = new ArrayList<>();
    private final LibvirtCall call;
    private final String names;

    BlockStatsReader(Pointer conn, List<String> uuids, LibvirtCall call) {
        this.call = call;
        this.names = String.join(",", uuids);
        try {
            for (String uuid : uuids) {
                domains.add(
                        call.run("virDomainLookupByUUIDString " + uuid, () -> NativeThrottleApi.lookup(conn, uuid)));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The domains' counters now, in the order given. */
    public List<DomainCounters> read() {
        return call.run("virDomainListGetStats " + names + " stats=state,block", () -> BlockStatsApi.of(domains));
    }

    @Override
    public void close() {
        domains.forEach(NativeThrottleApi::free);
        domains.clear();
    }
}
