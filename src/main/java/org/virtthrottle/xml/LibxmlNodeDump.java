package org.virtthrottle.xml;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.virtthrottle.VirtThrottleException;

/**
 * A domain's {@code <disk>} element as virsh detach-disk --print-xml prints it: libxml2's dump of
 * the node taken from the document text (double quotes, libxml2's escapes, the document's own
 * blanks kept, attributes in document order), less its {@code <backingStore>}, which virsh
 * unlinks. Read with StAX, because the DOM sorts attributes.
 */
final class LibxmlNodeDump {
    private LibxmlNodeDump() {}

    /** The disk under domain/devices whose {@code <target dev>} is {@code target}. */
    static Optional<String> disk(String documentText, String target) {
        try {
            XMLInputFactory factory = XMLInputFactory.newFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            factory.setProperty(XMLInputFactory.IS_COALESCING, true);
            XMLStreamReader r = factory.createXMLStreamReader(new StringReader(documentText));
            Deque<String> path = new ArrayDeque<>();
            StringBuilder dump = null;
            boolean startTagOpen = false;
            boolean matches = false;
            while (r.hasNext()) {
                int event = r.next();
                if (dump != null
                        && event == XMLStreamReader.START_ELEMENT
                        && r.getLocalName().equals("backingStore")
                        && "disk".equals(path.peek())) {
                    skipElement(r);
                    continue;
                }
                if (dump != null && startTagOpen && event != XMLStreamReader.END_ELEMENT) {
                    dump.append('>');
                    startTagOpen = false;
                }
                switch (event) {
                    case XMLStreamReader.START_ELEMENT -> {
                        String name = r.getLocalName();
                        if (dump == null && name.equals("disk") && "devices".equals(path.peek())) {
                            dump = new StringBuilder();
                            matches = false;
                        }
                        if (dump != null) {
                            if (name.equals("target") && "disk".equals(path.peek())) {
                                matches = target.equals(r.getAttributeValue(null, "dev"));
                            }
                            dump.append('<')
                                    .append(
                                            r.getPrefix() == null
                                                            || r.getPrefix().isEmpty()
                                                    ? ""
                                                    : r.getPrefix() + ":")
                                    .append(name);
                            for (int i = 0; i < r.getNamespaceCount(); i++) {
                                String prefix = r.getNamespacePrefix(i);
                                dump.append(prefix == null || prefix.isEmpty() ? " xmlns" : " xmlns:" + prefix)
                                        .append("=\"")
                                        .append(XmlText.escape(r.getNamespaceURI(i), true))
                                        .append('"');
                            }
                            for (int i = 0; i < r.getAttributeCount(); i++) {
                                String prefix = r.getAttributePrefix(i);
                                dump.append(' ')
                                        .append(prefix == null || prefix.isEmpty() ? "" : prefix + ":")
                                        .append(r.getAttributeLocalName(i))
                                        .append("=\"")
                                        .append(XmlText.escape(r.getAttributeValue(i), true))
                                        .append('"');
                            }
                            startTagOpen = true;
                        }
                        path.push(name);
                    }
                    case XMLStreamReader.END_ELEMENT -> {
                        path.pop();
                        if (dump != null) {
                            if (startTagOpen) {
                                dump.append("/>");
                                startTagOpen = false;
                            } else {
                                dump.append("</")
                                        .append(
                                                r.getPrefix() == null
                                                                || r.getPrefix().isEmpty()
                                                        ? ""
                                                        : r.getPrefix() + ":")
                                        .append(r.getLocalName())
                                        .append('>');
                            }
                            if (r.getLocalName().equals("disk") && "devices".equals(path.peek())) {
                                if (matches) {
                                    return Optional.of(dump.toString());
                                }
                                dump = null;
                            }
                        }
                    }
                    case XMLStreamReader.CHARACTERS, XMLStreamReader.SPACE, XMLStreamReader.CDATA -> {
                        if (dump != null) {
                            dump.append(XmlText.escape(r.getText(), false));
                        }
                    }
                    case XMLStreamReader.COMMENT -> {
                        if (dump != null) {
                            dump.append("<!--").append(r.getText()).append("-->");
                        }
                    }
                    default -> {}
                }
            }
            return Optional.empty();
        } catch (XMLStreamException e) {
            throw new VirtThrottleException("cannot read the domain XML: " + e.getMessage(), e);
        }
    }

    /** Reads past the element just started, its children included. */
    private static void skipElement(XMLStreamReader r) throws XMLStreamException {
        for (int depth = 1; depth > 0; ) {
            int event = r.next();
            if (event == XMLStreamReader.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamReader.END_ELEMENT) {
                depth--;
            }
        }
    }
}
