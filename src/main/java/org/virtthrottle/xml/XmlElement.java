package org.virtthrottle.xml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An element built in document order and printed as libvirt prints XML (virsh --print-xml):
 * attributes in the order they were set, single quotes, two blanks of indent per level, empty
 * elements as {@code <name/>}. Values are escaped here, never by the caller. (The JDK's DOM keeps
 * attributes sorted by name, so it cannot print virsh's form.)
 */
public final class XmlElement {
    private final String name;
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private final List<XmlElement> children = new ArrayList<>();
    private String text;

    public XmlElement(String name) {
        this.name = name;
    }

    /** Sets an attribute; a null value leaves it out. */
    public XmlElement attribute(String attribute, String value) {
        if (value != null) {
            attributes.put(attribute, value);
        }
        return this;
    }

    /** Appends a child element and returns it. */
    public XmlElement child(String childName) {
        XmlElement child = new XmlElement(childName);
        children.add(child);
        return child;
    }

    /** Appends {@code <childName>text</childName>}. */
    public XmlElement childWithText(String childName, String value) {
        child(childName).text = value;
        return this;
    }

    /** The element and its children, each line ending in a newline. */
    public String format() {
        StringBuilder out = new StringBuilder();
        format(out, "");
        return out.toString();
    }

    private void format(StringBuilder out, String indent) {
        out.append(indent).append('<').append(name);
        attributes.forEach((a, v) ->
                out.append(' ').append(a).append("='").append(escape(v)).append('\''));
        if (text != null) {
            out.append('>').append(escape(text)).append("</").append(name).append(">\n");
        } else if (children.isEmpty()) {
            out.append("/>\n");
        } else {
            out.append(">\n");
            children.forEach(c -> c.format(out, indent + "  "));
            out.append(indent).append("</").append(name).append(">\n");
        }
    }

    /** libvirt's escaping of attribute values and text. */
    private static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '\'' -> b.append("&apos;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
