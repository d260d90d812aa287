package org.virtthrottle.libvirt;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.function.BiConsumer;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.virtthrottle.VirtThrottleException;

/**
 * libvirt's domain events that libvirt-java does not wrap: device-removed (it comes when a guest has
 * really let go of a device, which may be long after the detach call returned) and metadata-change.
 * This binds {@code virConnectDomainEventRegisterAny} with JNA on the connection's own pointer.
 */
final class DomainEvents {
    private static final int EVENT_ID_DEVICE_REMOVED = 15; // VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED
    private static final int EVENT_ID_METADATA_CHANGE = 23; // VIR_DOMAIN_EVENT_ID_METADATA_CHANGE

    /** virConnectDomainEventDeviceRemovedCallback. */
    interface Listener extends Callback {
        void invoke(Pointer conn, Pointer dom, String devAlias, Pointer opaque);
    }

    /** virConnectDomainEventMetadataChangeCallback. */
    interface MetadataListener extends Callback {
        void invoke(Pointer conn, Pointer dom, int type, String nsuri, Pointer opaque);
    }

    private interface Virt extends Library {
        int virConnectDomainEventRegisterAny(
                Pointer conn, Pointer dom, int eventId, Callback cb, Pointer opaque, Pointer freecb);

        int virConnectDomainEventDeregisterAny(Pointer conn, int callbackId);

        String virDomainGetName(Pointer dom);
    }

    /**
     * A connection whose raw pointer we may use (libvirt-java keeps it for its subclasses), for the
     * calls libvirt-java does not wrap: these events, and the throttle group calls of {@link NativeThrottleApi}.
     */
    static final class EventConnect extends Connect {
        EventConnect(String uri, boolean readOnly) throws LibvirtException {
            super(uri, readOnly);
        }

        Pointer pointer() {
            return vcp.getPointer();
        }
    }

    private static Virt virt;
    private final EventConnect connect;
    /** Held here so the garbage collector never frees the callback libvirt calls. */
    private final Callback listener;

    private final int callbackId;

    private DomainEvents(EventConnect connect, Callback listener, int callbackId) {
        this.connect = connect;
        this.listener = listener;
        this.callbackId = callbackId;
    }

    private static synchronized Virt virt() {
        if (virt == null) {
            virt = Native.load("virt", Virt.class);
        }
        return virt;
    }

    /** Calls {@code removed} with the domain's name and the device's alias for each device-removed event. */
    static DomainEvents deviceRemoved(EventConnect connect, BiConsumer<String, String> removed) {
        Listener listener = (conn, dom, alias, opaque) -> removed.accept(virt().virDomainGetName(dom), alias);
        return register(connect, EVENT_ID_DEVICE_REMOVED, listener, "device-removed");
    }

    /** Calls {@code changed} with the domain's name and the namespace URI for each metadata-change event. */
    static DomainEvents metadataChanged(EventConnect connect, BiConsumer<String, String> changed) {
        MetadataListener listener =
                (conn, dom, type, nsuri, opaque) -> changed.accept(virt().virDomainGetName(dom), nsuri);
        return register(connect, EVENT_ID_METADATA_CHANGE, listener, "metadata-change");
    }

    private static DomainEvents register(EventConnect connect, int eventId, Callback listener, String name) {
        int id = virt().virConnectDomainEventRegisterAny(connect.pointer(), null, eventId, listener, null, null);
        if (id < 0) {
            throw new VirtThrottleException("cannot register for " + name + " events");
        }
        return new DomainEvents(connect, listener, id);
    }

    void deregister() {
        virt().virConnectDomainEventDeregisterAny(connect.pointer(), callbackId);
    }

    @Override
    public String toString() {
        return "domain events #" + callbackId + " (" + listener + ")";
    }
}
