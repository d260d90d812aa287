package org.virtthrottle.xml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.virtthrottle.model.DomainThrottleConfig;
import org.w3c.dom.Element;

/** A domain XML document, parsed once, with the facts virt-throttle needs from it. */
public final class DomainXml {
    private final Element domain;

    private DomainXml(Element domain) {
        this.domain = domain;
    }

    /** Parses a domain XML, or libvirt's status file form ({@code <domstatus>} around it). */
    public static DomainXml parse(String xml) {
        Element root = Xml.parse(xml).getDocumentElement();
        Element inner = "domstatus".equals(Xml.localName(root)) ? Xml.child(root, "domain") : null;
        return new DomainXml(inner != null ? inner : root);
    }

    /**
     * The throttle config held here: our metadata element when present, otherwise the native
     * upstream elements (libvirt 11.2+), otherwise empty.
     */
    public DomainThrottleConfig throttleConfig() {
        Element ours = metadataElement();
        return ThrottleConfigXml.read(ours != null ? ours : domain);
    }

    /** A running domain's live XML carries its id ({@code <domain id='N'>}); a shut-off one has none. */
    public boolean hasRunningId() {
        String id = domain.getAttribute("id");
        return !id.isEmpty() && !id.equals("-1");
    }

    public boolean hasThrottleMetadata() {
        return metadataElement() != null;
    }

    /** Disk target dev by device alias (virtio-disk0 -> vda); aliases exist in live XML only. */
    public Map<String, String> diskTargetsByAlias() {
        Map<String, String> targets = new LinkedHashMap<>();
        disks().stream().filter(d -> d.alias() != null).forEach(d -> targets.put(d.alias(), d.target()));
        return targets;
    }

    /** The domain's disks, in document order. */
    public List<DiskInfo> disks() {
        List<DiskInfo> disks = new ArrayList<>();
        Element devices = Xml.child(domain, "devices");
        if (devices == null) {
            return disks;
        }
        Map<String, Integer> scsiControllerIothreads = new HashMap<>();
        for (Element c : Xml.children(devices, "controller")) {
            Integer iothread = iothreadOf(c);
            if ("scsi".equals(c.getAttribute("type")) && iothread != null) {
                scsiControllerIothreads.put(c.getAttribute("index"), iothread);
            }
        }
        for (Element disk : Xml.children(devices, "disk")) {
            Element target = Xml.child(disk, "target");
            Element alias = Xml.child(disk, "alias");
            Element address = Xml.child(disk, "address");
            String bus = target == null ? "" : target.getAttribute("bus");
            Integer iothread = iothreadOf(disk);
            if (iothread == null && "scsi".equals(bus) && address != null) {
                String controller = address.getAttribute("controller");
                iothread = scsiControllerIothreads.get(controller.isEmpty() ? "0" : controller);
            }
            String device = disk.getAttribute("device");
            disks.add(new DiskInfo(target == null ? "" : target.getAttribute("dev"),
                    alias == null ? null : alias.getAttribute("name"),
                    device.isEmpty() ? "disk" : device, bus, Xml.child(disk, "iotune") != null, iothread,
                    Xml.print(disk, false)));
        }
        return disks;
    }

    public Optional<DiskInfo> disk(String target) {
        return disks().stream().filter(d -> d.target().equals(target)).findFirst();
    }

    private static Integer iothreadOf(Element e) {
        Element driver = Xml.child(e, "driver");
        if (driver == null || driver.getAttribute("iothread").isEmpty()) {
            return null;
        }
        return Integer.valueOf(driver.getAttribute("iothread"));
    }

    private Element metadataElement() {
        Element metadata = Xml.child(domain, "metadata");
        if (metadata == null) {
            return null;
        }
        for (Element e : Xml.children(metadata, ThrottleConfigXml.ROOT)) {
            if (ThrottleConfigXml.NAMESPACE.equals(e.getNamespaceURI())) {
                return e;
            }
        }
        return null;
    }
}
