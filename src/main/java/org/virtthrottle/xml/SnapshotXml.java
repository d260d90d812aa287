package org.virtthrottle.xml;

import java.util.List;
import org.w3c.dom.Element;

/** A domain snapshot's XML (virDomainSnapshotGetXMLDesc): its name and which disks it made external overlays for. */
public record SnapshotXml(String name, List<String> externalDisks) {
    public SnapshotXml {
        externalDisks = List.copyOf(externalDisks);
    }

    /**
     * Reads {@code <domainsnapshot>}; only its own {@code <disks>} count, not the {@code <domain>} it
     * embeds. A disk is named by its target or its source path, as libvirt takes either.
     */
    public static SnapshotXml parse(String xml) {
        Element root = Xml.parse(xml).getDocumentElement();
        Element name = Xml.child(root, "name");
        Element disks = Xml.child(root, "disks");
        List<String> external = disks == null
                ? List.of()
                : Xml.children(disks, "disk").stream()
                        .filter(d -> "external".equals(d.getAttribute("snapshot")))
                        .map(d -> d.getAttribute("name"))
                        .toList();
        return new SnapshotXml(name == null ? "" : name.getTextContent().strip(), external);
    }
}
