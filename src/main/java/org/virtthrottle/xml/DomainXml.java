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
    private final String text;

    private DomainXml(Element domain, String text) {
        this.domain = domain;
        this.text = text;
    }

    /** Parses a domain XML, or libvirt's status file form ({@code <domstatus>} around it). */
    public static DomainXml parse(String xml) {
        Element root = Xml.parse(xml).getDocumentElement();
        Element inner = "domstatus".equals(Xml.localName(root)) ? Xml.child(root, "domain") : null;
        return new DomainXml(inner != null ? inner : root, xml);
    }

    /** A running domain's live XML carries its id ({@code <domain id='N'>}); a shut-off one has none. */
    public boolean hasRunningId() {
        String id = domain.getAttribute("id");
        return !id.isEmpty() && !id.equals("-1");
    }

    /** The document as it was read. */
    public String raw() {
        return Xml.print(domain, false);
    }

    /** libvirt 11.2+'s own {@code <throttlegroups>} and disks' {@code <throttlefilters>}. */
    public DomainThrottleConfig nativeThrottleConfig() {
        return ThrottleConfigXml.read(domain);
    }

    /** Our metadata element's config (empty without one). */
    public DomainThrottleConfig metadataThrottleConfig() {
        Element ours = metadataElement();
        return ours == null ? DomainThrottleConfig.EMPTY : ThrottleConfigXml.read(ours);
    }

    /**
     * This XML with {@code config} in libvirt 11.2+'s own form (groups, and filters in each disk that
     * has a chain) and without our metadata element; nothing else changes.
     */
    public String withNativeThrottleConfig(DomainThrottleConfig config) {
        org.w3c.dom.Document doc = (org.w3c.dom.Document) domain.getOwnerDocument().cloneNode(true);
        Element root = doc.getDocumentElement();
        Element metadata = Xml.child(root, "metadata");
        if (metadata != null) {
            for (Element e : Xml.children(metadata, ThrottleConfigXml.ROOT)) {
                if (ThrottleConfigXml.NAMESPACE.equals(e.getNamespaceURI())) {
                    metadata.removeChild(e);
                }
            }
            if (metadata.getElementsByTagName("*").getLength() == 0) {
                root.removeChild(metadata);
            }
        }
        Xml.children(root, "throttlegroups").forEach(root::removeChild);
        if (!config.groups().isEmpty()) {
            Element groups = doc.createElement("throttlegroups");
            config.groups().forEach(g -> ThrottleConfigXml.writeGroup(groups, g));
            Element os = Xml.child(root, "os");
            root.insertBefore(groups, os);
        }
        Element devices = Xml.child(root, "devices");
        if (devices != null) {
            for (Element disk : Xml.children(devices, "disk")) {
                Element target = Xml.child(disk, "target");
                if (target == null) {
                    continue;
                }
                Xml.children(disk, "throttlefilters").forEach(disk::removeChild);
                var chain = config.chains().get(target.getAttribute("dev"));
                if (chain != null && !chain.isEmpty()) {
                    Element holder = doc.createElement("holder");
                    ThrottleConfigXml.writeChain(holder, chain);
                    disk.insertBefore(holder.getFirstChild(), target.getNextSibling());
                }
            }
        }
        return Xml.print(root, false);
    }

    /** A disk element's XML with its {@code <throttlefilters>} replaced by {@code chain}. */
    public static String diskWithFilters(String diskXml, org.virtthrottle.model.FilterChain chain) {
        Element disk = Xml.parse(diskXml).getDocumentElement();
        Xml.children(disk, "throttlefilters").forEach(disk::removeChild);
        Xml.children(disk, "alias").forEach(disk::removeChild);
        if (!chain.isEmpty()) {
            Element holder = disk.getOwnerDocument().createElement("holder");
            ThrottleConfigXml.writeChain(holder, chain);
            Element target = Xml.child(disk, "target");
            disk.insertBefore(holder.getFirstChild(), target == null ? null : target.getNextSibling());
        }
        return Xml.print(disk, false);
    }

    public boolean hasThrottleMetadata() {
        return metadataElement() != null;
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

    /**
     * The {@code <disk>} with this target as virsh detach-disk --print-xml prints it (libxml2's dump
     * of the element as the document spells it); empty when there is none.
     */
    public Optional<String> diskAsVirshPrints(String target) {
        return LibxmlNodeDump.disk(text, target);
    }

    /**
     * The target of the disk named by its target or, failing that, by its source (file, device,
     * directory or network name), as virsh detach-disk finds disks.
     */
    public Optional<String> targetOf(String targetOrSource) {
        Element devices = Xml.child(domain, "devices");
        if (devices == null) {
            return Optional.empty();
        }
        List<Element> disks = Xml.children(devices, "disk");
        for (Element disk : disks) {
            Element target = Xml.child(disk, "target");
            if (target != null && target.getAttribute("dev").equals(targetOrSource)) {
                return Optional.of(targetOrSource);
            }
        }
        for (Element disk : disks) {
            Element source = Xml.child(disk, "source");
            Element target = Xml.child(disk, "target");
            if (source != null && target != null && List.of("file", "dev", "dir", "name").stream()
                    .anyMatch(a -> source.getAttribute(a).equals(targetOrSource))) {
                return Optional.of(target.getAttribute("dev"));
            }
        }
        return Optional.empty();
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
