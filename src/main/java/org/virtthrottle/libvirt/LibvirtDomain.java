package org.virtthrottle.libvirt;

import java.util.Map;
import java.util.Set;
import org.libvirt.Domain;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.app.Domain.ThrottleMetadata;
import org.virtthrottle.model.Side;
import org.virtthrottle.xml.ThrottleConfigXml;

/** One libvirt domain: its XML, our metadata element, and QEMU monitor passthrough. */
public final class LibvirtDomain implements org.virtthrottle.app.Domain {
    private static final int XML_INACTIVE = 2; // VIR_DOMAIN_XML_INACTIVE
    private static final int AFFECT_LIVE = 1; // VIR_DOMAIN_AFFECT_LIVE
    private static final int AFFECT_CONFIG = 2; // VIR_DOMAIN_AFFECT_CONFIG
    private static final int METADATA_ELEMENT = 2; // VIR_DOMAIN_METADATA_ELEMENT

    private final Domain domain;
    private final LibvirtCall call;
    private final String name;
    private final String connectionUri;

    LibvirtDomain(Domain domain, LibvirtCall call, String connectionUri) {
        this.domain = domain;
        this.call = call;
        this.connectionUri = connectionUri;
        this.name = call.run("virDomainGetName", domain::getName);
    }

    @Override
    public String name() {
        return name;
    }

    /** The URI of the daemon this domain was looked up on. */
    @Override
    public String connectionUri() {
        return connectionUri;
    }

    /** The running domain's id, -1 when it is not running. */
    @Override
    public int id() {
        return call.run("virDomainGetID " + name, domain::getID);
    }

    @Override
    public String uuid() {
        return call.run("virDomainGetUUIDString " + name, domain::getUUIDString);
    }

    @Override
    public boolean isActive() {
        return call.run("virDomainIsActive " + name, domain::isActive) == 1;
    }

    public void start() {
        call.run("virDomainCreate " + name, () -> domain.create());
    }

    public void destroy() {
        call.run("virDomainDestroy " + name, domain::destroy);
    }

    /** The running definition (LIVE) or the persistent one (CONFIG). */
    @Override
    public String xml(Side side) {
        int flags = side == Side.CONFIG ? XML_INACTIVE : 0;
        return call.run("virDomainGetXMLDesc " + name + " flags=" + flags, () -> domain.getXMLDesc(flags));
    }

    /**
     * The persistent definition with its secrets (VNC/SPICE passwords and the like), for defining it
     * anew without losing them; needs a read-write connection.
     */
    @Override
    public String secureConfigXml() {
        int flags = Domain.XMLFlags.INACTIVE | Domain.XMLFlags.SECURE;
        return call.run("virDomainGetXMLDesc " + name + " flags=" + flags, () -> domain.getXMLDesc(flags));
    }

    /** Whether the domain has a persistent definition (a transient one exists only while it runs). */
    @Override
    public boolean isPersistent() {
        return call.run("virDomainIsPersistent " + name, domain::isPersistent) == 1;
    }

    /** Reads our element alone (virDomainGetMetadata): far less to fetch and parse than the domain XML. */
    @Override
    public ThrottleMetadata throttleMetadata(Side side) {
        int flags = side == Side.LIVE ? AFFECT_LIVE : AFFECT_CONFIG;
        try {
            return new ThrottleMetadata(true, call.run("virDomainGetMetadata " + name + " flags=" + flags,
                    () -> domain.getMetadata(METADATA_ELEMENT, ThrottleConfigXml.NAMESPACE, flags)));
        } catch (LibvirtFailure e) {
            if (e.code().equals("VIR_ERR_NO_DOMAIN_METADATA")) {
                return new ThrottleMetadata(true, null);
            }
            if (side == Side.LIVE && e.code().equals("VIR_ERR_OPERATION_INVALID")) {
                return new ThrottleMetadata(false, null);
            }
            throw e;
        }
    }

    /** Replaces our metadata element on one side; null removes it. */
    @Override
    public void setThrottleMetadata(Side side, String elementXml) {
        int flags = side == Side.LIVE ? AFFECT_LIVE : AFFECT_CONFIG;
        call.run("virDomainSetMetadata " + name + " flags=" + flags + (elementXml == null ? " (remove)" : ""),
                () -> domain.setMetadata(METADATA_ELEMENT, elementXml, ThrottleConfigXml.METADATA_KEY,
                        ThrottleConfigXml.NAMESPACE, flags));
    }

    @Override
    public void attachDevice(Side side, String deviceXml) {
        int flags = side == Side.LIVE ? AFFECT_LIVE : AFFECT_CONFIG;
        call.run("virDomainAttachDeviceFlags " + name + " flags=" + flags, () -> domain.attachDeviceFlags(deviceXml, flags));
    }

    @Override
    public void detachDevice(Side side, String deviceXml) {
        int flags = side == Side.LIVE ? AFFECT_LIVE : AFFECT_CONFIG;
        call.run("virDomainDetachDeviceFlags " + name + " flags=" + flags, () -> domain.detachDeviceFlags(deviceXml, flags));
    }

    /** Defines the persistent definition anew from XML (virDomainDefineXML). */
    @Override
    public void redefine(String domainXml) {
        call.run("virDomainDefineXML " + name, () -> domain.getConnect().domainDefineXML(domainXml));
    }

    /** libvirt 11.2+: virDomainSetThrottleGroup with these parameters on the given sides. */
    @Override
    public void setThrottleGroup(String group, Map<String, Long> params, Set<Side> sides) {
        int flags = flags(sides);
        call.run("virDomainSetThrottleGroup " + name + " " + group + " flags=" + flags,
                () -> NativeThrottleApi.set(domain, group, params, flags));
    }

    /** libvirt 11.2+: virDomainDelThrottleGroup on the given sides. */
    @Override
    public void deleteThrottleGroup(String group, Set<Side> sides) {
        int flags = flags(sides);
        call.run("virDomainDelThrottleGroup " + name + " " + group + " flags=" + flags,
                () -> NativeThrottleApi.delete(domain, group, flags));
    }

    private static int flags(Set<Side> sides) {
        return (sides.contains(Side.LIVE) ? AFFECT_LIVE : 0) | (sides.contains(Side.CONFIG) ? AFFECT_CONFIG : 0);
    }

    /** QMP passthrough (virDomainQemuMonitorCommand); the reply, errors included, is QEMU's JSON. */
    @Override
    public String send(String command) {
        try {
            return call.run("virDomainQemuMonitorCommand " + name, () -> domain.qemuMonitorCommand(command, 0));
        } catch (NullPointerException e) {
            // libvirt-java leaves its libvirt-qemu binding null when that library cannot be loaded
            throw new VirtThrottleException("QEMU monitor passthrough is unavailable: libvirt-qemu.so.0 (package libvirt0) is missing", e);
        }
    }

    /** Lets go of the domain object, and with it its reference on the connection. */
    @Override
    public void close() {
        LibvirtConnection.free(domain);
    }
}
