package org.virtthrottle.xml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.virtthrottle.model.DomainThrottleConfig;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** A domain XML document, parsed once, with the facts virt-throttle needs from it. */
public final class DomainXml {
    private static final Pattern LIBVIRT_NODE = Pattern.compile("libvirt-(\\d+)-.*");
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
     * has a chain) and without our metadata element, but for its tier membership ({@code <tiers>}, which
     * libvirt has no place for); nothing else changes.
     */
    public String withNativeThrottleConfig(DomainThrottleConfig config) {
        org.w3c.dom.Document doc =
                (org.w3c.dom.Document) domain.getOwnerDocument().cloneNode(true);
        Element root = doc.getDocumentElement();
        Element metadata = Xml.child(root, "metadata");
        if (metadata != null) {
            for (Element e : Xml.children(metadata, ThrottleConfigXml.ROOT)) {
                if (ThrottleConfigXml.NAMESPACE.equals(e.getNamespaceURI())) {
                    // tier membership stays ours (libvirt has no place for it); the rest moves
                    Xml.children(e, "throttlegroups").forEach(e::removeChild);
                    Xml.children(e, "devices").forEach(e::removeChild);
                    if (Xml.child(e, "tiers") == null) {
                        metadata.removeChild(e);
                    }
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

    /**
     * Whether our metadata holds groups or filter chains: the config of libvirt < 11.2, which
     * migrate-config moves into libvirt's own elements (tier membership alone stays in our element).
     */
    public boolean hasPreNativeMetadata() {
        DomainThrottleConfig ours = metadataThrottleConfig();
        return !ours.groups().isEmpty() || !ours.chains().isEmpty();
    }

    /** The domain's disks, in document order. */
    public List<DiskInfo> disks() {
        List<DiskInfo> disks = new ArrayList<>();
        Element devices = Xml.child(domain, "devices");
        if (devices != null) {
            Map<String, Element> controllers = scsiControllers(devices);
            Xml.children(devices, "disk").forEach(disk -> disks.add(diskInfo(disk, controllers)));
        }
        return disks;
    }

    /** A {@code <disk>} element not attached yet, as it would run in this domain. */
    public DiskInfo newDisk(String diskXml) {
        Element devices = Xml.child(domain, "devices");
        return diskInfo(Xml.parse(diskXml).getDocumentElement(), devices == null ? Map.of() : scsiControllers(devices));
    }

    private static Map<String, Element> scsiControllers(Element devices) {
        Map<String, Element> controllers = new HashMap<>();
        for (Element c : Xml.children(devices, "controller")) {
            if ("scsi".equals(c.getAttribute("type"))) {
                controllers.put(c.getAttribute("index"), c);
            }
        }
        return controllers;
    }

    private static DiskInfo diskInfo(Element disk, Map<String, Element> scsiControllers) {
        Element target = Xml.child(disk, "target");
        Element alias = Xml.child(disk, "alias");
        String bus = target == null ? "" : target.getAttribute("bus");
        // a scsi disk's I/O runs where its controller's does (controller 0 until libvirt gives it an address)
        Element runsIn = disk;
        if ("scsi".equals(bus)) {
            Element address = Xml.child(disk, "address");
            String controller = address == null ? "" : address.getAttribute("controller");
            runsIn = scsiControllers.getOrDefault(controller.isEmpty() ? "0" : controller, disk);
        }
        String device = disk.getAttribute("device");
        return new DiskInfo(
                target == null ? "" : target.getAttribute("dev"),
                alias == null ? null : alias.getAttribute("name"),
                device.isEmpty() ? "disk" : device,
                bus,
                Xml.child(disk, "iotune") != null,
                iothreadOf(runsIn),
                hasIothreadMapping(runsIn),
                Xml.print(disk, false));
    }

    /**
     * Whether libvirt still keeps track of a block node: it names a disk source's nodes
     * {@code libvirt-INDEX-...} after the source's {@code index} in the live XML (backing files
     * included); names not of that form are not libvirt's to track.
     */
    public boolean tracksNode(String nodeName) {
        Matcher m = LIBVIRT_NODE.matcher(nodeName);
        if (!m.matches()) {
            return true;
        }
        NodeList sources = domain.getElementsByTagName("source");
        for (int i = 0; i < sources.getLength(); i++) {
            if (m.group(1).equals(((Element) sources.item(i)).getAttribute("index"))) {
                return true;
            }
        }
        return false;
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
            if (source != null
                    && target != null
                    && List.of("file", "dev", "dir", "name").stream()
                            .anyMatch(a -> source.getAttribute(a).equals(targetOrSource))) {
                return Optional.of(target.getAttribute("dev"));
            }
        }
        return Optional.empty();
    }

    /** The disk named by its target or its source, as {@link #targetOf} finds it. */
    public Optional<DiskInfo> diskNamed(String targetOrSource) {
        return targetOf(targetOrSource).flatMap(this::disk);
    }

    public Optional<DiskInfo> disk(String target) {
        return disks().stream().filter(d -> d.target().equals(target)).findFirst();
    }

    /** libvirt 10+'s {@code <driver><iothreads>}: the device's queues spread over several IOThreads. */
    private static boolean hasIothreadMapping(Element e) {
        Element driver = Xml.child(e, "driver");
        return driver != null && Xml.child(driver, "iothreads") != null;
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
