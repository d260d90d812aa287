package org.virtthrottle.xml;

import java.util.LinkedHashMap;
import java.util.Map;
import org.virtthrottle.model.DomainThrottleConfig;
import org.w3c.dom.Element;

/** A domain XML document, parsed once, with the facts virt-throttle needs from it. */
public final class DomainXml {
    private final Element domain;

    private DomainXml(Element domain) {
        this.domain = domain;
    }

    public static DomainXml parse(String xml) {
        return new DomainXml(Xml.parse(xml).getDocumentElement());
    }

    /**
     * The throttle config held here: our metadata element when present, otherwise the native
     * upstream elements (libvirt 11.2+), otherwise empty.
     */
    public DomainThrottleConfig throttleConfig() {
        Element ours = metadataElement();
        return ThrottleConfigXml.read(ours != null ? ours : domain);
    }

    public boolean hasThrottleMetadata() {
        return metadataElement() != null;
    }

    /** Disk target dev by device alias (virtio-disk0 -> vda); aliases exist in live XML only. */
    public Map<String, String> diskTargetsByAlias() {
        Map<String, String> targets = new LinkedHashMap<>();
        Element devices = Xml.child(domain, "devices");
        if (devices == null) {
            return targets;
        }
        for (Element disk : Xml.children(devices, "disk")) {
            Element alias = Xml.child(disk, "alias");
            Element target = Xml.child(disk, "target");
            if (alias != null && target != null) {
                targets.put(alias.getAttribute("name"), target.getAttribute("dev"));
            }
        }
        return targets;
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
