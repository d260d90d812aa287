package org.virtthrottle.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * A uniquely named TCG guest (64 MiB, no OS) defined on the test host, with qcow2/raw disks made
 * by qemu-img. Removed again by {@link #close()}, also when a test fails.
 */
public final class TestGuest implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A disk to define: target dev, bus (virtio, scsi), image format (qcow2, raw), extra attributes
     * for its {@code <driver>} (e.g. iothread='1') and extra child elements (e.g. an {@code <iotune>}).
     */
    public record Disk(String target, String bus, String format, String driverAttributes, String extraXml) {
        public Disk(String target, String bus, String format) {
            this(target, bus, format, "", "");
        }
    }

    private final String name;
    private final String uri;
    private final List<Path> images = new ArrayList<>();

    private TestGuest(String name, String uri) {
        this.name = name;
        this.uri = uri;
    }

    /** Looked up anew each time, so a guest outlives a libvirtd restart. */
    private Domain domain() throws LibvirtException {
        return TestHost.connect(uri).domainLookupByName(name);
    }

    /** Defines a guest with the given disks (default: one qcow2 virtio disk vda). */
    public static TestGuest define(Disk... disks) {
        return define("", "", disks);
    }

    /**
     * Defines a guest with extra elements under {@code <domain>} (e.g. {@code <iothreads>1</iothreads>})
     * and under {@code <devices>} (e.g. a cdrom).
     */
    public static TestGuest define(String domainExtraXml, String devicesExtraXml, Disk... disks) {
        return defineOn(TestHost.URI, domainExtraXml, devicesExtraXml, disks);
    }

    /** Defines the guest on the daemon at {@code uri}. */
    public static TestGuest defineOn(String uri, String domainExtraXml, String devicesExtraXml, Disk... disks) {
        String name = "vt-it-" + UUID.randomUUID().toString().substring(0, 8);
        if (disks.length == 0) {
            disks = new Disk[] {new Disk("vda", "virtio", "qcow2")};
        }
        StringBuilder xml = new StringBuilder()
                .append("<domain type='qemu'><name>")
                .append(name)
                .append("</name>")
                .append("<memory unit='MiB'>64</memory><vcpu>1</vcpu>")
                .append(domainExtraXml)
                .append("<os><type arch='x86_64' machine='pc'>hvm</type></os><features><acpi/></features>")
                .append("<devices>");
        List<Path> images = new ArrayList<>();
        for (Disk d : disks) {
            Path image = TestHost.createImage(name + "-" + d.target() + "." + d.format(), d.format(), "64M");
            images.add(image);
            xml.append("<disk type='file' device='disk'><driver name='qemu' type='")
                    .append(d.format())
                    .append("' ")
                    .append(d.driverAttributes())
                    .append("/><source file='")
                    .append(image)
                    .append("'/><target dev='")
                    .append(d.target())
                    .append("' bus='")
                    .append(d.bus())
                    .append("'/>")
                    .append(d.extraXml())
                    .append("</disk>");
        }
        xml.append(devicesExtraXml);
        if (!devicesExtraXml.contains("type='scsi'")) {
            xml.append("<controller type='scsi' model='virtio-scsi'/>");
        }
        xml.append("<memballoon model='none'/></devices></domain>");
        try {
            TestHost.connect(uri).domainDefineXML(xml.toString());
            TestGuest guest = new TestGuest(name, uri);
            guest.images.addAll(images);
            return guest;
        } catch (LibvirtException e) {
            throw new AssertionError("cannot define test guest: " + e.getMessage(), e);
        }
    }

    /** Defines and starts a guest from complete domain XML (whose name must be {@code name}). */
    public static TestGuest startXml(String name, String domainXml) {
        return startXmlOn(TestHost.URI, name, domainXml);
    }

    /** Defines and starts a guest from complete domain XML on the daemon at {@code uri}. */
    public static TestGuest startXmlOn(String uri, String name, String domainXml) {
        try {
            TestHost.connect(uri).domainDefineXML(domainXml);
            return started(new TestGuest(name, uri));
        } catch (LibvirtException e) {
            throw new AssertionError("cannot define test guest: " + e.getMessage(), e);
        }
    }

    /** A guest already defined on the daemon at {@code uri}; removed by close() like the others. */
    public static TestGuest existingOn(String uri, String name) {
        return new TestGuest(name, uri);
    }

    public static TestGuest start(Disk... disks) {
        return start("", "", disks);
    }

    public static TestGuest start(String domainExtraXml, String devicesExtraXml, Disk... disks) {
        return started(define(domainExtraXml, devicesExtraXml, disks));
    }

    /** Starts a defined guest; one that does not start is removed again. */
    private static TestGuest started(TestGuest guest) {
        try {
            guest.startDomain();
        } catch (AssertionError e) {
            guest.close();
            throw e;
        }
        return guest;
    }

    /** Runs virsh against the test host, as a user would; returns its stdout. */
    public String virsh(String... args) {
        List<String> cmd = new ArrayList<>(List.of("virsh", "-q", "-c", uri));
        cmd.addAll(List.of(args));
        return TestHost.run(cmd);
    }

    /**
     * The block nodes under a device, top (guest side) first, each as "drv" or "throttle(GROUP-ID)",
     * read with raw QMP (query-block for the device's root, x-debug-query-block-graph for the edges,
     * query-named-block-nodes for drivers and each throttle node's group).
     */
    public List<String> chainUnder(String targetAlias) {
        return chainNodes(targetAlias).stream().map(n -> n[1]).toList();
    }

    /** Like {@link #chainUnder} but each entry is {node-name, description}. */
    public List<String[]> chainNodes(String alias) {
        String root = null;
        for (JsonNode b : qmp("{\"execute\":\"query-block\"}")) {
            String qdev = b.path("qdev").asText();
            if (qdev.equals(alias) || qdev.startsWith("/machine/peripheral/" + alias + "/")) {
                root = b.path("inserted").path("node-name").asText();
            }
        }
        if (root == null) {
            throw new AssertionError("no block device for alias " + alias);
        }
        java.util.Map<String, String> describe = new java.util.HashMap<>();
        for (JsonNode n : qmp("{\"execute\":\"query-named-block-nodes\",\"arguments\":{\"flat\":true}}")) {
            String drv = n.path("drv").asText();
            if (drv.equals("throttle")) {
                String filename = n.path("image").path("filename").asText();
                try {
                    drv = "throttle("
                            + JSON.readTree(filename.substring("json:".length()))
                                    .path("throttle-group")
                                    .asText() + ")";
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new AssertionError(e);
                }
            }
            describe.put(n.path("node-name").asText(), drv);
        }
        JsonNode graph = qmp("{\"execute\":\"x-debug-query-block-graph\"}");
        java.util.Map<Long, String> names = new java.util.HashMap<>();
        graph.path("nodes")
                .forEach(n -> names.put(n.path("id").asLong(), n.path("name").asText()));
        List<String[]> chain = new ArrayList<>();
        String node = root;
        while (node != null) {
            chain.add(new String[] {node, describe.get(node)});
            String next = null;
            for (JsonNode e : graph.path("edges")) {
                if (node.equals(names.get(e.path("parent").asLong()))
                        && e.path("name").asText().equals("file")) {
                    next = names.get(e.path("child").asLong());
                }
            }
            node = next;
        }
        return chain;
    }

    /** The alias libvirt gave the disk with this target, from the live XML. */
    public String aliasOf(String target) {
        String xml = liveXml();
        int at = xml.indexOf("<target dev='" + target + "'");
        if (at < 0) {
            throw new AssertionError("no disk " + target + " in live XML");
        }
        int alias = xml.indexOf("<alias name='", at);
        return xml.substring(alias + "<alias name='".length(), xml.indexOf('\'', alias + "<alias name='".length()));
    }

    public String name() {
        return name;
    }

    public void startDomain() {
        libvirt(() -> domain().create());
    }

    public void destroyDomain() {
        libvirt(() -> domain().destroy());
    }

    public boolean isActive() {
        return libvirtValue(() -> domain().isActive() == 1);
    }

    /** Raw QMP through libvirt's passthrough; returns the whole reply (return or error). */
    public JsonNode qmpReply(String command) {
        String reply = libvirtValue(() -> domain().qemuMonitorCommand(command, 0));
        try {
            return JSON.readTree(reply);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    /** Raw QMP; fails the test on a QMP error. */
    public JsonNode qmp(String command) {
        JsonNode reply = qmpReply(command);
        if (reply.has("error")) {
            throw new AssertionError("QMP " + command + " failed: " + reply.get("error"));
        }
        return reply.get("return");
    }

    public JsonNode qmp(String execute, ObjectNode arguments) {
        ObjectNode cmd = JSON.createObjectNode().put("execute", execute);
        if (arguments != null) {
            cmd.set("arguments", arguments);
        }
        return qmp(cmd.toString());
    }

    /** The limits of QOM object /objects/ID as QEMU reports them, or null when it does not exist. */
    public JsonNode qomLimits(String id) {
        ObjectNode args = JSON.createObjectNode().put("path", "/objects/" + id).put("property", "limits");
        JsonNode reply = qmpReply(JSON.createObjectNode()
                .put("execute", "qom-get")
                .set("arguments", args)
                .toString());
        return reply.has("error") ? null : reply.get("return");
    }

    /** Ids of the throttle-group objects in QEMU, sorted. */
    public List<String> throttleGroupObjects() {
        List<String> ids = new ArrayList<>();
        for (JsonNode p : qmp("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"/objects\"}}")) {
            if ("child<throttle-group>".equals(p.path("type").asText())) {
                ids.add(p.path("name").asText());
            }
        }
        ids.sort(null);
        return ids;
    }

    /** The names of libvirt's snapshots of the guest, sorted (as virsh snapshot-list --name, without a process). */
    public List<String> snapshotNames() {
        List<String> names = new ArrayList<>(List.of(libvirtValue(() -> domain().snapshotListNames())));
        names.sort(null);
        return names;
    }

    public String liveXml() {
        return libvirtValue(() -> domain().getXMLDesc(0));
    }

    public String inactiveXml() {
        return libvirtValue(() -> domain().getXMLDesc(2));
    }

    /** Writes a metadata element in our namespace directly (to set up states the tests need). */
    public void setThrottleMetadata(String elementXml, boolean live) {
        libvirt(() ->
                domain().setMetadata(2, elementXml, "vt", "http://virt-throttle.org/xmlns/throttle/1.0", live ? 1 : 2));
    }

    /** Everything a failed command must leave unchanged: QEMU's groups and limits, both XMLs. */
    public GuestState state() {
        List<String> groups = isActive() ? throttleGroupObjects() : List.of();
        List<String> limits = new ArrayList<>();
        groups.forEach(g -> limits.add(g + "=" + qomLimits(g)));
        List<String> nodes = new ArrayList<>();
        if (isActive()) {
            for (JsonNode n : qmp("{\"execute\":\"query-named-block-nodes\",\"arguments\":{\"flat\":true}}")) {
                nodes.add(n.path("node-name").asText() + ":" + n.path("drv").asText());
            }
            nodes.sort(null);
        }
        return new GuestState(groups, limits, nodes, isActive() ? liveXml() : "", inactiveXml());
    }

    @Override
    public void close() {
        try {
            if (domain().isActive() == 1) {
                domain().destroy();
            }
            domain().undefine(1 | 2); // managed save and snapshot metadata go too
        } catch (LibvirtException e) {
            throw new AssertionError("cannot remove test guest " + name + ": " + e.getMessage(), e);
        } finally {
            images.forEach(p -> p.toFile().delete());
        }
    }

    @FunctionalInterface
    private interface LibvirtBody {
        void run() throws LibvirtException;
    }

    @FunctionalInterface
    private interface LibvirtValue<T> {
        T get() throws LibvirtException;
    }

    private void libvirt(LibvirtBody body) {
        libvirtValue(() -> {
            body.run();
            return null;
        });
    }

    private <T> T libvirtValue(LibvirtValue<T> body) {
        try {
            return body.get();
        } catch (LibvirtException e) {
            throw new AssertionError(name + ": " + e.getMessage(), e);
        }
    }
}
