package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.stats.DomainCounters;

/** Connections to domains in memory, their events and closes raised by the test (watch, tiers). */
final class FakeHypervisor {
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    private final Map<String, InMemoryDomain> domains;
    /** What the bulk stats call returns; the tests that read none leave it failing. */
    Supplier<List<DomainCounters>> counters = () -> {
        throw new UnsupportedOperationException("this test reads no counters");
    };

    private final List<Consumer<Hypervisor.LifecycleEvent>> lifecycle = new ArrayList<>();
    private final List<Consumer<String>> closeListeners = new ArrayList<>();

    FakeHypervisor(Map<String, InMemoryDomain> domains) {
        this.domains = domains;
    }

    synchronized void event(Hypervisor.LifecycleEvent e) {
        lifecycle.get(lifecycle.size() - 1).accept(e);
    }

    synchronized void close(String reason) {
        closeListeners.get(closeListeners.size() - 1).accept(reason);
    }

    Hypervisor connect() {
        connections.incrementAndGet();
        return new Hypervisor() {
            @Override
            public String uri() {
                return "test:///fake";
            }

            @Override
            public boolean isReadOnly() {
                return false;
            }

            @Override
            public Domain lookup(String domain) {
                InMemoryDomain d = domains.get(domain);
                if (d == null) {
                    throw new VirtThrottleException("failed to get domain '" + domain + "'");
                }
                return d;
            }

            @Override
            public List<DomainSummary> domains(boolean all) {
                return domains.keySet().stream()
                        .map(n -> new DomainSummary(7, n, "running"))
                        .toList();
            }

            @Override
            public List<String> domainNames() {
                return List.copyOf(domains.keySet());
            }

            @Override
            public ThrottleSupport throttleSupport() {
                return ThrottleSupport.PASSTHROUGH;
            }

            @Override
            public void onLifecycle(Consumer<LifecycleEvent> listener) {
                synchronized (FakeHypervisor.this) {
                    lifecycle.add(listener);
                }
            }

            @Override
            public void onDeviceRemoved(BiConsumer<String, String> removed) {}

            @Override
            public void onMetadataChange(BiConsumer<String, String> changed) {}

            @Override
            public boolean onClose(Consumer<String> listener) {
                synchronized (FakeHypervisor.this) {
                    closeListeners.add(listener);
                }
                return true;
            }

            @Override
            public boolean isAlive() {
                return true;
            }

            @Override
            public boolean keepAlive(int interval, int count) {
                return true;
            }

            @Override
            public List<DomainCounters> runningBlockCounters() {
                return counters.get();
            }

            @Override
            public BlockCounterReader blockCounterReader(List<String> uuids) {
                throw new UnsupportedOperationException("watch reads no counters");
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
    }
}
