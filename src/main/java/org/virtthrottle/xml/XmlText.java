package org.virtthrottle.xml;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * An element as XML text, written as the JDK's identity transformer writes it (double quotes, its
 * escapes, empty elements closed with "/>", attributes in the DOM's order), without that
 * transformer: finding and setting one up on first use took ~15 ms of a one-shot update. Namespace
 * prefixes used but declared only outside the element get their declaration where first used.
 */
final class XmlText {
    private static final String INDENT = "  ";

    private final StringBuilder text = new StringBuilder();
    private final boolean indent;
    /** Prefix (empty for the default namespace) to namespace, one map per open element. */
    private final Deque<Map<String, String>> scopes = new ArrayDeque<>();

    private XmlText(boolean indent) {
        this.indent = indent;
    }

    /** {@code element} as text; content without text on lines of its own, indented by two spaces, when asked. */
    static String of(Element element, boolean indent) {
        XmlText writer = new XmlText(indent);
        writer.element(element, 0);
        return writer.text.toString();
    }

    private void element(Element element, int depth) {
        Map<String, String> scope = new HashMap<>();
        scopes.push(scope);
        text.append('<').append(element.getTagName());
        NamedNodeMap attributes = element.getAttributes();
        // namespace declarations first, as the transformer writes them, then the other attributes
        for (int i = 0; i < attributes.getLength(); i++) {
            Attr a = (Attr) attributes.item(i);
            if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI())) {
                scope.put(a.getPrefix() == null ? "" : a.getLocalName(), a.getValue());
                attribute(a.getName(), a.getValue());
            }
        }
        for (int i = 0; i < attributes.getLength(); i++) {
            Attr a = (Attr) attributes.item(i);
            if (!XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI())) {
                attribute(a.getName(), a.getValue());
            }
        }
        // declarations the element and its attributes need but were made outside it: after the attributes
        declare(element.getPrefix(), element.getNamespaceURI(), scope);
        for (int i = 0; i < attributes.getLength(); i++) {
            Attr a = (Attr) attributes.item(i);
            if (a.getPrefix() != null
                    && !XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI())
                    && !XMLConstants.XML_NS_PREFIX.equals(a.getPrefix())) {
                declare(a.getPrefix(), a.getNamespaceURI(), scope);
            }
        }
        if (element.hasChildNodes()) {
            text.append('>');
            boolean lines = indent && withoutText(element);
            for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (lines) {
                    newLine(depth + 1);
                }
                node(child, depth + 1);
            }
            if (lines) {
                newLine(depth);
            }
            text.append("</").append(element.getTagName()).append('>');
        } else {
            text.append("/>");
        }
        scopes.pop();
    }

    private void attribute(String name, String value) {
        text.append(' ').append(name).append("=\"").append(escape(value, true)).append('"');
    }

    /** Adds a declaration of {@code prefix} when no element written so far declares it as {@code namespace}. */
    private void declare(String prefix, String namespace, Map<String, String> scope) {
        String key = prefix == null ? "" : prefix;
        String uri = namespace == null ? "" : namespace;
        if (uri.equals(inScope(key))) {
            return;
        }
        scope.put(key, uri);
        attribute(key.isEmpty() ? "xmlns" : "xmlns:" + key, uri);
    }

    private String inScope(String prefix) {
        for (Map<String, String> scope : scopes) {
            String uri = scope.get(prefix);
            if (uri != null) {
                return uri;
            }
        }
        // no declaration at all: the default namespace is none, a prefix is unbound
        return prefix.isEmpty() ? "" : null;
    }

    private void node(Node node, int depth) {
        switch (node.getNodeType()) {
            case Node.ELEMENT_NODE -> element((Element) node, depth);
            case Node.TEXT_NODE -> text.append(escape(node.getNodeValue(), false));
            case Node.CDATA_SECTION_NODE -> text.append("<![CDATA[")
                    .append(node.getNodeValue())
                    .append("]]>");
            case Node.COMMENT_NODE -> text.append("<!--")
                    .append(node.getNodeValue())
                    .append("-->");
            case Node.PROCESSING_INSTRUCTION_NODE -> text.append("<?")
                    .append(node.getNodeName())
                    .append(' ')
                    .append(node.getNodeValue())
                    .append("?>");
            default -> throw new IllegalArgumentException("cannot write XML node type " + node.getNodeType());
        }
    }

    /** No text in it: elements, comments and processing instructions only. */
    private static boolean withoutText(Element element) {
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() == Node.TEXT_NODE || child.getNodeType() == Node.CDATA_SECTION_NODE) {
                return false;
            }
        }
        return true;
    }

    private void newLine(int depth) {
        text.append('\n');
        text.append(INDENT.repeat(depth));
    }

    /**
     * Markup characters escaped, and in attributes the blanks that would not survive reading; libxml2
     * (LibxmlNodeDump) and the JDK's transformer escape alike.
     */
    static String escape(String value, boolean attribute) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '\r' -> b.append("&#13;");
                case '"' -> b.append(attribute ? "&quot;" : "\"");
                case '\n' -> b.append(attribute ? "&#10;" : "\n");
                case '\t' -> b.append(attribute ? "&#9;" : "\t");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
