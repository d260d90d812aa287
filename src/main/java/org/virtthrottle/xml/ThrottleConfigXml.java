package org.virtthrottle.xml;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.InvalidConfigException;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Reads and writes throttle configuration in upstream libvirt's schema.
 *
 * <p>Our metadata element mirrors the domain's own structure, so one reader serves both places:
 * <pre>
 * &lt;throttle xmlns="NAMESPACE"&gt;
 *   &lt;throttlegroups&gt;&lt;throttlegroup&gt;...&lt;group_name&gt;a&lt;/group_name&gt;&lt;/throttlegroup&gt;&lt;/throttlegroups&gt;
 *   &lt;devices&gt;&lt;disk&gt;&lt;target dev='vda'/&gt;&lt;throttlefilters&gt;...&lt;/throttlefilters&gt;&lt;/disk&gt;&lt;/devices&gt;
 *   &lt;tiers&gt;&lt;member group='a' tier='gold'/&gt;&lt;/tiers&gt;
 * &lt;/throttle&gt;
 * </pre>
 * while libvirt 11.2+ keeps {@code <throttlegroups>} and {@code <devices><disk>...<throttlefilters>}
 * directly under {@code <domain>}. Tier membership has no place in upstream's schema: it is ours only.
 * With libvirt 11.2+ our element holds only {@code <tiers>}, and a live member there has its own
 * limits in it ({@code <member group='a' tier='gold'><own><total_iops_sec>1000</total_iops_sec></own></member>}),
 * since libvirt's live limits of the group are its share.
 */
public final class ThrottleConfigXml {
    /** Namespace of our element inside the domain's {@code <metadata>}. */
    public static final String NAMESPACE = "http://virt-throttle.org/xmlns/throttle/1.0";
    /** Prefix libvirt gives our namespace in the domain XML. */
    public static final String METADATA_KEY = "vt";

    static final String ROOT = "throttle";

    private ThrottleConfigXml() {}

    /** Reads our metadata element, as {@code virDomainGetMetadata} returns it. */
    public static DomainThrottleConfig fromMetadata(String elementXml) {
        return read(Xml.parse(elementXml).getDocumentElement());
    }

    /**
     * Our metadata element for {@code virDomainSetMetadata}, compact (libvirt indents it itself);
     * libvirt adds the namespace.
     */
    public static String toMetadata(DomainThrottleConfig config) {
        return toMetadata(config, false);
    }

    /** Our metadata element; indented for people to read (--dry-run). */
    public static String toMetadata(DomainThrottleConfig config, boolean indent) {
        Document doc = Xml.newDocument();
        Element root = Xml.appendElement(doc, ROOT);
        if (!config.groups().isEmpty()) {
            Element groups = Xml.appendElement(root, "throttlegroups");
            config.groups().forEach(g -> writeGroup(groups, g));
        }
        if (!config.chains().isEmpty()) {
            Element devices = Xml.appendElement(root, "devices");
            config.chains().forEach((target, chain) -> {
                Element disk = Xml.appendElement(devices, "disk");
                Xml.appendElement(disk, "target").setAttribute("dev", target);
                writeChain(disk, chain);
            });
        }
        if (!config.tiers().isEmpty()) {
            Element tiers = Xml.appendElement(root, "tiers");
            config.tiers().forEach((group, tier) -> {
                Element member = Xml.appendElement(tiers, "member");
                member.setAttribute("group", group);
                member.setAttribute("tier", tier);
                config.ownLimits(group).ifPresent(own -> {
                    Element limits = Xml.appendElement(member, "own");
                    own.nonZero()
                            .forEach((field, value) -> Xml.appendText(limits, field.xmlName(), Long.toString(value)));
                });
            });
        }
        return Xml.print(root, indent);
    }

    /** Writes a {@code <throttlefilters>} element under the given parent. */
    static void writeChain(Element parent, FilterChain chain) {
        Element filters = Xml.appendElement(parent, "throttlefilters");
        chain.groups().forEach(g -> Xml.appendElement(filters, "throttlefilter").setAttribute("group", g));
    }

    static void writeGroup(Element parent, ThrottleGroup group) {
        Element e = Xml.appendElement(parent, "throttlegroup");
        group.limits().nonZero().forEach((field, value) -> Xml.appendText(e, field.xmlName(), Long.toString(value)));
        Xml.appendText(e, "group_name", group.name());
    }

    static DomainThrottleConfig read(Element container) {
        List<ThrottleGroup> groups = new ArrayList<>();
        Element groupsElement = Xml.child(container, "throttlegroups");
        if (groupsElement != null) {
            for (Element g : Xml.children(groupsElement, "throttlegroup")) {
                groups.add(readGroup(g));
            }
        }
        Map<String, FilterChain> chains = new LinkedHashMap<>();
        Element devices = Xml.child(container, "devices");
        if (devices != null) {
            for (Element disk : Xml.children(devices, "disk")) {
                Element filters = Xml.child(disk, "throttlefilters");
                Element target = Xml.child(disk, "target");
                if (filters == null || target == null) {
                    continue;
                }
                List<String> chain = new ArrayList<>();
                Xml.children(filters, "throttlefilter").forEach(f -> chain.add(f.getAttribute("group")));
                chains.put(target.getAttribute("dev"), new FilterChain(chain));
            }
        }
        Map<String, String> tiers = new LinkedHashMap<>();
        Map<String, ThrottleLimits> own = new LinkedHashMap<>();
        Element members = Xml.child(container, "tiers");
        if (members != null) {
            for (Element m : Xml.children(members, "member")) {
                String group = m.getAttribute("group");
                tiers.put(group, m.getAttribute("tier"));
                Element limits = Xml.child(m, "own");
                if (limits != null) {
                    own.put(group, readLimits(limits, group));
                }
            }
        }
        return new DomainThrottleConfig(groups, chains, tiers, own);
    }

    private static ThrottleGroup readGroup(Element e) {
        Element nameElement = Xml.child(e, "group_name");
        if (nameElement == null) {
            throw new InvalidConfigException("throttle group without <group_name> in domain XML");
        }
        String name = nameElement.getTextContent();
        return new ThrottleGroup(name, readLimits(e, name));
    }

    /** The limit elements under {@code e}, of the group {@code name}. */
    private static ThrottleLimits readLimits(Element e, String name) {
        Map<LimitField, Long> values = new EnumMap<>(LimitField.class);
        for (LimitField f : LimitField.values()) {
            Element v = Xml.child(e, f.xmlName());
            if (v != null) {
                try {
                    values.put(f, Long.parseLong(v.getTextContent().trim()));
                } catch (NumberFormatException ex) {
                    throw new InvalidConfigException("invalid value '" + v.getTextContent() + "' for " + f.xmlName()
                            + " of throttle group '" + name + "' in domain XML");
                }
            }
        }
        return ThrottleLimits.of(values);
    }
}
