package org.virtthrottle.app;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.virtthrottle.stats.DomainCounters;

/**
 * One open connection to a hypervisor, as the use cases need it. The {@code libvirt} package
 * implements it; nothing outside that package and the composition root knows libvirt is behind it.
 */
public interface Hypervisor extends AutoCloseable {
    String uri();

    boolean isReadOnly();

    /** The domain by name, UUID or id, as virsh looks it up; {@link NotFound} when there is none. */
    Domain lookup(String domain);

    /** Running domains by id, then (with {@code all}) the inactive ones by name, as virsh list. */
    List<DomainSummary> domains(boolean all);

    /** Names of all domains, running first. */
    List<String> domainNames();

    /** How throttle groups are managed over this connection, decided once. */
    ThrottleSupport throttleSupport();

    /** Calls {@code listener} for every domain lifecycle event (needs {@link Hypervisors#enableEvents()}). */
    void onLifecycle(Consumer<LifecycleEvent> listener);

    /** Calls {@code removed} with the domain's name and the device alias when a guest has let go of a device. */
    void onDeviceRemoved(BiConsumer<String, String> removed);

    /** Calls {@code changed} with the domain's name and the namespace URI whenever a domain's metadata changes. */
    void onMetadataChange(BiConsumer<String, String> changed);

    /** Calls {@code listener} when the connection closes; false for drivers that never close so (in-process ones). */
    boolean onClose(Consumer<String> listener);

    /** Whether the connection still works (libvirt's view; no round trip). */
    boolean isAlive();

    /** Probes the daemon; false for drivers without keepalive. */
    boolean keepAlive(int interval, int count);

    /** Every running domain's disk counters, in one call. */
    List<DomainCounters> runningBlockCounters();

    /** A reader of these domains' disk counters (by UUID), one call per read. */
    BlockCounterReader blockCounterReader(List<String> uuids);

    @Override
    void close();

    /** Reads the disk counters of a fixed set of domains, one hypervisor call per read. */
    interface BlockCounterReader extends AutoCloseable {
        List<DomainCounters> read();

        @Override
        void close();
    }

    /** A domain as virsh list shows it; id is -1 when it is not running. */
    record DomainSummary(int id, String name, String state) {}

    /** A domain lifecycle event: type and detail as libvirt names them (STARTED, BOOTED, ...). */
    record LifecycleEvent(String domain, String type, String detail) {}

    /** How throttle groups are managed over a connection. */
    enum ThrottleSupport {
        /** libvirt < 11.2: through QEMU monitor passthrough and our metadata. */
        PASSTHROUGH,
        /** libvirt >= 11.2 with a client library that has the calls: the native API. */
        NATIVE,
        /** The daemon is >= 11.2, but this client library cannot call its API. */
        NATIVE_DAEMON_OLD_CLIENT
    }
}
