package org.virtthrottle.xml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Our element writer writes what the JDK's identity transformer (which it replaced) writes: every
 * element of every domain XML in testdata and of upstream's test XML, of our metadata, and of a
 * document with every escape and namespace case, flat and indented.
 */
class XmlTextTest {
    private static final String TRICKY =
            """
            <domain xmlns:qemu="http://libvirt.org/schemas/domain/qemu/1.0" type='kvm'>
              <name>a &amp; b &lt;c&gt; "q" 'a' é ü 漢</name>
              <description xml:lang="en">line one
            line two&#13;tab	end</description>
              <metadata>
                <vt:throttle xmlns:vt="http://virt-throttle.org/xmlns/throttle/1.0"><vt:x a="1"/></vt:throttle>
                <other xmlns="urn:other" attr="v &quot;q&quot; &amp; &lt; &gt; &#10;nl &#9;tab"><inner/></other>
              </metadata>
              <!-- a comment -->
              <?target some data?>
              <devices><disk type='file'><source file='/a b/&amp;c.qcow2'/><target dev='vda'/></disk>
              <script><![CDATA[ if (a < b && c) ]]></script></devices>
              <qemu:commandline><qemu:arg value='-x'/></qemu:commandline>
              <empty></empty>
            </domain>
            """;

    static Stream<Element> elements() throws IOException {
        List<String> documents = new ArrayList<>();
        documents.add(TRICKY);
        documents.add(ThrottleConfigXml.toMetadata(ThrottleConfigXmlTest.awkward()));
        try (Stream<Path> files = Files.list(Path.of("testdata", "xml"))) {
            for (Path file : files.sorted().toList()) {
                documents.add(Files.readString(file));
            }
        }
        Path upstream = Path.of("..", "shared", "reference", "libvirt-11.3-tests");
        try (Stream<Path> files = Files.list(upstream)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".xml")).sorted().toList()) {
                documents.add(Files.readString(file));
            }
        }
        List<Element> all = new ArrayList<>();
        for (String document : documents) {
            NodeList list = Xml.parse(document).getElementsByTagName("*");
            for (int i = 0; i < list.getLength(); i++) {
                all.add((Element) list.item(i));
            }
        }
        assertThat(all).hasSizeGreaterThan(200);
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("elements")
    void writesEveryElementAsTheJdksTransformerDoes(Element element) throws TransformerException {
        assertThat(XmlText.of(element, false).strip()).isEqualTo(transformed(element, false));
    }

    @ParameterizedTest
    @MethodSource("elements")
    void indentsElementOnlyContentAsTheJdksTransformerDoes(Element element) throws TransformerException {
        // built documents only: the transformer keeps a parsed document's blanks and indents around them
        Element copy = (Element) Xml.newDocument().importNode(element, true);
        stripBlanks(copy);
        assertThat(XmlText.of(copy, true).strip()).isEqualTo(transformed(copy, true));
    }

    private static void stripBlanks(Element element) {
        Node child = element.getFirstChild();
        while (child != null) {
            Node next = child.getNextSibling();
            if (child.getNodeType() == Node.TEXT_NODE && child.getNodeValue().isBlank()) {
                element.removeChild(child);
            } else if (child instanceof Element e) {
                stripBlanks(e);
            }
            child = next;
        }
    }

    private static String transformed(Element element, boolean indent) throws TransformerException {
        Transformer t = TransformerFactory.newInstance().newTransformer();
        t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
        t.setOutputProperty(OutputKeys.INDENT, indent ? "yes" : "no");
        t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
        StringWriter out = new StringWriter();
        t.transform(new DOMSource(element), new StreamResult(out));
        return out.toString().strip();
    }
}
