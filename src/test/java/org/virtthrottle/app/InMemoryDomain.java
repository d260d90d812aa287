package org.virtthrottle.app;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.Side;
import org.virtthrottle.qmp.QmpClient;
import org.virtthrottle.xml.ThrottleConfigXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * A domain held in memory, as libvirt 9.0 would show it: its live XML (null while shut off) and its
 * persistent XML, our metadata element kept inside each as libvirt keeps it, devices attached and
 * detached in those XMLs, and QMP answered by a {@link ScriptedQmp}. Records what it is asked to
 * change.
 */
final class InMemoryDomain implements Domain {
    private static final String METADATA_PREFIX = ThrottleConfigXml.METADATA_KEY + ":";

    /** One libvirt call that changes the domain: what, on which side, with which XML. */
    record Call(String operation, Side side, String xml) {}

    private final Map<Side, Document> xml = new EnumMap<>(Side.class);
    private final ScriptedQmp qmp = new ScriptedQmp();
    private final List<Call> calls = new ArrayList<>();
    private boolean guestHoldsDetachedDisks;

    private InMemoryDomain(String liveXml, String configXml) {
        if (liveXml != null) {
            xml.put(Side.LIVE, parse(liveXml));
        }
        xml.put(Side.CONFIG, parse(configXml));
    }

    static InMemoryDomain running(String liveXml, String configXml) {
        return new InMemoryDomain(liveXml, configXml);
    }

    static InMemoryDomain shutOff(String configXml) {
        return new InMemoryDomain(null, configXml);
    }

    /** Our metadata element on the side, as a previous run of virt-throttle left it. */
    InMemoryDomain recorded(Side side, DomainThrottleConfig config) {
        putMetadata(side, ThrottleConfigXml.toMetadata(config));
        return this;
    }

    /** A guest that does not let go of a disk: a live detach leaves it in the live XML (pending). */
    InMemoryDomain guestHoldsDetachedDisks() {
        guestHoldsDetachedDisks = true;
        return this;
    }

    /** A session on this domain through libvirt < 11.2 (metadata and QMP passthrough). */
    DomainSession session() {
        return session(Tiers.NONE);
    }

    /**
     * A session through libvirt 11.2+ (libvirt's own throttle groups: {@link #setThrottleGroup} changes
     * {@code <throttlegroups>} in the XML of each side, as libvirt does).
     */
    DomainSession nativeSession(Tiers tiers) {
        return new DomainSession(this, new QmpClient(qmp, line -> {}), true, tiers);
    }

    /** libvirt 11.2+: a group in libvirt's own {@code <throttlegroups>} on the side, as a test's start. */
    InMemoryDomain nativeGroup(Side side, String group, Map<String, Long> params) {
        putNativeGroup(document(side), group, params);
        return this;
    }

    /** A session that knows these tier budgets. */
    DomainSession session(Tiers tiers) {
        return new DomainSession(this, new QmpClient(qmp, line -> {}), false, tiers);
    }

    ScriptedQmp qmp() {
        return qmp;
    }

    /** The changing calls made, in order. */
    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Our metadata element on the side now, null when there is none. */
    String metadata(Side side) {
        Element element = metadataElement(document(side));
        return element == null ? null : print(element);
    }

    @Override
    public String name() {
        return text(Side.CONFIG, "name");
    }

    @Override
    public String uuid() {
        return text(Side.CONFIG, "uuid");
    }

    @Override
    public int id() {
        return isActive()
                ? Integer.parseInt(document(Side.LIVE).getDocumentElement().getAttribute("id"))
                : -1;
    }

    @Override
    public boolean isActive() {
        return xml.containsKey(Side.LIVE);
    }

    @Override
    public String connectionUri() {
        return "test:///in-memory";
    }

    /** As libvirt: the live XML of a shut-off domain is its persistent one. */
    @Override
    public String xml(Side side) {
        return print(document(side).getDocumentElement());
    }

    @Override
    public String secureConfigXml() {
        return xml(Side.CONFIG);
    }

    @Override
    public boolean isPersistent() {
        return true;
    }

    @Override
    public ThrottleMetadata throttleMetadata(Side side) {
        if (side == Side.LIVE && !isActive()) {
            return new ThrottleMetadata(false, null);
        }
        return new ThrottleMetadata(true, metadata(side));
    }

    @Override
    public void setThrottleMetadata(Side side, String elementXml) {
        calls.add(new Call("setThrottleMetadata", side, elementXml));
        putMetadata(side, elementXml);
    }

    @Override
    public void setThrottleMetadataBothSides(String elementXml) {
        calls.add(new Call("setThrottleMetadataBothSides", null, elementXml));
        putMetadata(Side.LIVE, elementXml);
        putMetadata(Side.CONFIG, elementXml);
    }

    @Override
    public void attachDevice(Side side, String deviceXml) {
        calls.add(new Call("attachDevice", side, deviceXml));
        Document doc = document(side);
        child(doc.getDocumentElement(), "devices")
                .appendChild(doc.importNode(parse(deviceXml).getDocumentElement(), true));
    }

    @Override
    public void detachDevice(Side side, String deviceXml) {
        calls.add(new Call("detachDevice", side, deviceXml));
        if (side == Side.LIVE && guestHoldsDetachedDisks) {
            return;
        }
        String target = child(parse(deviceXml).getDocumentElement(), "target").getAttribute("dev");
        Element devices = child(document(side).getDocumentElement(), "devices");
        for (Element disk : children(devices, "disk")) {
            if (target.equals(child(disk, "target").getAttribute("dev"))) {
                devices.removeChild(disk);
            }
        }
    }

    @Override
    public void setThrottleGroup(String group, Map<String, Long> params, Set<Side> sides) {
        sides.forEach(side -> {
            calls.add(new Call("setThrottleGroup " + group + " " + params, side, null));
            putNativeGroup(document(side), group, params);
        });
    }

    @Override
    public void deleteThrottleGroup(String group, Set<Side> sides) {
        sides.forEach(side -> {
            calls.add(new Call("deleteThrottleGroup " + group, side, null));
            Element groups = child(document(side).getDocumentElement(), "throttlegroups");
            if (groups != null) {
                nativeGroupElement(groups, group).ifPresent(groups::removeChild);
            }
        });
    }

    /** libvirt 11.2+'s element for a group: its non-zero limits, then its name. */
    private static void putNativeGroup(Document doc, String group, Map<String, Long> params) {
        Element domain = doc.getDocumentElement();
        Element groups = child(domain, "throttlegroups");
        if (groups == null) {
            groups = doc.createElement("throttlegroups");
            domain.insertBefore(groups, child(domain, "os"));
        }
        Element e = doc.createElement("throttlegroup");
        params.forEach((name, value) -> {
            if (value != 0) {
                Element limit = doc.createElement(name);
                limit.setTextContent(Long.toString(value));
                e.appendChild(limit);
            }
        });
        Element name = doc.createElement("group_name");
        name.setTextContent(group);
        e.appendChild(name);
        var old = nativeGroupElement(groups, group);
        if (old.isPresent()) {
            groups.replaceChild(e, old.get());
        } else {
            groups.appendChild(e);
        }
    }

    private static java.util.Optional<Element> nativeGroupElement(Element groups, String group) {
        return children(groups, "throttlegroup").stream()
                .filter(g -> group.equals(child(g, "group_name").getTextContent()))
                .findFirst();
    }

    @Override
    public void startBlockJob(org.virtthrottle.plan.BlockJob job) {
        calls.add(new Call("startBlockJob", Side.LIVE, job.describe()));
        blockJobs.put(job.disk(), new BlockJobInfo(job.mirrors() ? 4 : 3, 0, 100, 0));
    }

    @Override
    public java.util.Optional<BlockJobInfo> blockJob(String disk) {
        return java.util.Optional.ofNullable(blockJobs.get(disk));
    }

    /** QEMU's numbers for the disk's job say it has copied everything. */
    void jobCopiedEverything(String disk) {
        BlockJobInfo job = blockJobs.get(disk);
        blockJobs.put(disk, new BlockJobInfo(job.type(), job.end(), job.end(), job.bandwidth()));
    }

    /** How many pivots libvirt refuses as "not ready for pivot yet" before it has seen QEMU's event. */
    int notReadyPivots;

    /** libvirt's refusal of every end of a block job, or null. */
    String endJobFailure;

    @Override
    public void abortBlockJob(String disk, boolean pivot, boolean async) {
        if (endJobFailure != null) {
            throw new org.virtthrottle.VirtThrottleException(endJobFailure);
        }
        if (pivot && notReadyPivots > 0) {
            notReadyPivots--;
            throw new org.virtthrottle.VirtThrottleException(
                    "Operation not supported: block copy still active: block job" + " 'copy-" + disk
                            + "-libvirt-1-format' not ready for pivot yet");
        }
        calls.add(new Call(pivot ? "pivotBlockJob" : "abortBlockJob", Side.LIVE, disk));
        blockJobs.remove(disk);
    }

    @Override
    public void setBlockJobSpeed(String disk, long bytesPerSecond) {
        calls.add(new Call("setBlockJobSpeed", Side.LIVE, disk + " " + bytesPerSecond));
    }

    @Override
    public void resizeDisk(String disk, long bytes) {
        calls.add(new Call("resizeDisk", Side.LIVE, disk + " " + bytes));
    }

    @Override
    public String snapshotXml(String name) {
        throw new UnsupportedOperationException("snapshots");
    }

    @Override
    public void deleteSnapshot(org.virtthrottle.plan.Action.DeleteSnapshot deletion) {
        calls.add(new Call("deleteSnapshot", Side.LIVE, deletion.describe()));
    }

    @Override
    public void migrate(Hypervisor destination, org.virtthrottle.plan.Migration migration) {
        throw new UnsupportedOperationException("migration");
    }

    @Override
    public java.util.Optional<JobProgress> jobProgress() {
        return java.util.Optional.empty();
    }

    @Override
    public void suspend() {
        calls.add(new Call("suspend", Side.LIVE, ""));
    }

    /** Block jobs by disk target, as libvirt reports them. */
    final Map<String, BlockJobInfo> blockJobs = new java.util.HashMap<>();

    @Override
    public void redefine(String domainXml) {
        calls.add(new Call("redefine", Side.CONFIG, domainXml));
        xml.put(Side.CONFIG, parse(domainXml));
    }

    @Override
    public String send(String command) {
        if (!isActive()) {
            throw new AssertionError("QMP sent to a domain that is not running: " + command);
        }
        return qmp.send(command);
    }

    @Override
    public void close() {
        // nothing held: no libvirt object to free
    }

    private Document document(Side side) {
        return xml.getOrDefault(side, xml.get(Side.CONFIG));
    }

    private String text(Side side, String name) {
        Element e = child(document(side).getDocumentElement(), name);
        return e == null ? null : e.getTextContent();
    }

    /** Puts our element into {@code <metadata>} under our namespace and prefix, as libvirt stores it. */
    private void putMetadata(Side side, String elementXml) {
        Document doc = document(side);
        Element domain = doc.getDocumentElement();
        Element metadata = child(domain, "metadata");
        Element old = metadata == null ? null : metadataElement(doc);
        if (old != null) {
            metadata.removeChild(old);
        }
        if (elementXml == null) {
            return;
        }
        if (metadata == null) {
            metadata = doc.createElement("metadata");
            Element uuid = child(domain, "uuid");
            domain.insertBefore(metadata, uuid == null ? domain.getFirstChild() : uuid.getNextSibling());
        }
        Element ours = inOurNamespace(doc, parse(elementXml).getDocumentElement());
        ours.setAttributeNS(
                "http://www.w3.org/2000/xmlns/",
                "xmlns:" + ThrottleConfigXml.METADATA_KEY,
                ThrottleConfigXml.NAMESPACE);
        metadata.appendChild(ours);
    }

    private static Element inOurNamespace(Document doc, Element source) {
        Element copy = doc.createElementNS(ThrottleConfigXml.NAMESPACE, METADATA_PREFIX + source.getLocalName());
        for (int i = 0; i < source.getAttributes().getLength(); i++) {
            Node a = source.getAttributes().item(i);
            if (!a.getNodeName().startsWith("xmlns")) {
                copy.setAttribute(a.getLocalName() == null ? a.getNodeName() : a.getLocalName(), a.getNodeValue());
            }
        }
        NodeList kids = source.getChildNodes();
        for (int i = 0; i < kids.getLength(); i++) {
            Node kid = kids.item(i);
            if (kid instanceof Element e) {
                copy.appendChild(inOurNamespace(doc, e));
            } else if (kid.getNodeType() == Node.TEXT_NODE
                    && !kid.getNodeValue().isBlank()) {
                copy.appendChild(doc.createTextNode(kid.getNodeValue()));
            }
        }
        return copy;
    }

    private static Element metadataElement(Document doc) {
        Element metadata = child(doc.getDocumentElement(), "metadata");
        if (metadata == null) {
            return null;
        }
        for (Element e : children(metadata, null)) {
            if (ThrottleConfigXml.NAMESPACE.equals(e.getNamespaceURI())) {
                return e;
            }
        }
        return null;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    /** Child elements by local name; all of them for a null name. */
    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList kids = parent.getChildNodes();
        for (int i = 0; i < kids.getLength(); i++) {
            if (kids.item(i) instanceof Element e && (name == null || name.equals(localName(e)))) {
                found.add(e);
            }
        }
        return found;
    }

    private static String localName(Element e) {
        return e.getLocalName() == null ? e.getNodeName() : e.getLocalName();
    }

    private static Document parse(String text) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(text)));
        } catch (Exception e) {
            throw new AssertionError("not XML: " + text, e);
        }
    }

    private static String print(Element element) {
        try {
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(element), new StreamResult(out));
            return out.toString();
        } catch (Exception e) {
            throw new AssertionError("cannot print XML", e);
        }
    }
}
