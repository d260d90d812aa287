package org.virtthrottle.xml;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.virtthrottle.VirtThrottleException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/** DOM parsing with the JDK's XML library, hardened, and printing ({@link XmlText}). */
final class Xml {
    /** A builder per thread: finding the JDK's implementations anew costs more than the work. */
    private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(Xml::newBuilder);

    private Xml() {}

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    static Document parse(String xml) {
        try {
            DocumentBuilder b = BUILDER.get();
            b.reset();
            b.setErrorHandler(null);
            return b.parse(new InputSource(new StringReader(xml)));
        } catch (SAXException | IOException e) {
            throw new VirtThrottleException("cannot parse XML: " + e.getMessage(), e);
        }
    }

    static Document newDocument() {
        return BUILDER.get().newDocument();
    }

    /** Serializes an element without XML declaration; indented by two spaces when asked. */
    static String print(Element element, boolean indent) {
        return XmlText.of(element, indent);
    }

    /** Child elements with the given local name, in any namespace. */
    static List<Element> children(Node parent, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(localName(e))) {
                found.add(e);
            }
        }
        return found;
    }

    static Element child(Node parent, String localName) {
        List<Element> found = children(parent, localName);
        return found.isEmpty() ? null : found.get(0);
    }

    static String localName(Element e) {
        return e.getLocalName() != null ? e.getLocalName() : e.getTagName();
    }

    static Element appendElement(Node parent, String name) {
        Document doc = parent instanceof Document d ? d : parent.getOwnerDocument();
        Element e = doc.createElement(name);
        parent.appendChild(e);
        return e;
    }

    static void appendText(Element parent, String name, String text) {
        appendElement(parent, name).setTextContent(text);
    }
}
