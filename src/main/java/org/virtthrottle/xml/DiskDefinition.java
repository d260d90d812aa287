package org.virtthrottle.xml;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.InvalidConfigException;

/**
 * A disk as virsh attach-disk describes it with its options, turned into the {@code <disk>}
 * element virsh 9.0 prints for them (same elements, attributes, order and layout). Attributes and
 * elements appear only when their option was given, as with virsh. Checked as virsh checks, with
 * its messages, when made.
 */
public record DiskDefinition(
        String source,
        String target,
        String targetBus,
        String driver,
        String subdriver,
        String device,
        String mode,
        String cache,
        String io,
        String sourceType,
        NetworkSource network,
        String serial,
        String wwn,
        String alias,
        String address,
        boolean multifunction,
        boolean rawio,
        String iothread,
        FilterChain chain) {

    /** virsh's --source-protocol and --source-host-* options (all null for a file or block disk). */
    public record NetworkSource(String protocol, String hostName, String hostTransport, String hostSocket) {
        public static final NetworkSource NONE = new NetworkSource(null, null, null, null);

        private boolean hasHost() {
            return hostName != null || hostTransport != null || hostSocket != null;
        }
    }

    private static final List<String> SOURCE_TYPES = List.of("file", "block", "network");
    private static final String HEX = "(?:0x)?([0-9a-fA-F]+)";
    private static final Pattern PCI = Pattern.compile("pci:" + HEX + "[.:]" + HEX + "[.:]" + HEX + "\\." + HEX);
    private static final Pattern CCW = Pattern.compile("ccw:" + HEX + "\\." + HEX + "\\." + HEX);
    private static final Pattern DRIVE = Pattern.compile("(?:scsi|ide|sata):(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Pattern WWN = Pattern.compile("(?:0x)?[0-9a-fA-F]{16}");
    private static final Pattern HOST_PORT = Pattern.compile("\\[([^\\]]*)\\](?::(.*))?|([^:]*)(?::(.*))?");
    private static final String ADDRESS_KINDS = "expecting a pci:0000.00.00.00 or ccw:00.0.0000 address.";

    public DiskDefinition {
        network = network == null ? NetworkSource.NONE : network;
        chain = chain == null ? FilterChain.NONE : chain;
        if (sourceType != null && !SOURCE_TYPES.contains(sourceType)) {
            throw new InvalidConfigException("Unknown source type: '" + sourceType + "'");
        }
        if (network.hostSocket() != null && network.hostTransport() == null) {
            throw new InvalidConfigException(
                    "Option --source-host-transport is required by option --source-host-socket");
        }
        if (network.hostName() != null && network.hostSocket() != null) {
            throw new InvalidConfigException(
                    "Options --source-host-name and --source-host-socket are mutually exclusive");
        }
        if (network.protocol() == null && network.hasHost()) {
            throw new InvalidConfigException("Option --source-protocol is required by option "
                    + (network.hostName() != null ? "--source-host-name" : "--source-host-transport"));
        }
        boolean networkType = "network".equals(sourceType);
        if (network.protocol() != null && sourceType != null && !networkType
                || networkType && network.protocol() == null) {
            throw new InvalidConfigException("--source-protocol option requires --sourcetype network");
        }
        if (mode != null && !mode.equals("readonly") && !mode.equals("shareable")) {
            throw new InvalidConfigException("No support for " + mode + " in command 'attach-disk'");
        }
        if (wwn != null && !WWN.matcher(wwn).matches()) {
            throw new InvalidConfigException("internal error: Malformed wwn: " + wwn);
        }
    }

    /** The disk's type attribute: a protocol makes it a network disk, as in virsh. */
    public String type() {
        return network.protocol() != null ? "network" : sourceType != null ? sourceType : "file";
    }

    /**
     * The {@code <disk>} element; {@code withFilters} adds upstream's {@code <throttlefilters>}
     * (for --print-xml and libvirt 11.2+; libvirt 9.x/10.x would drop it).
     */
    public String toXml(boolean withFilters) {
        XmlElement disk = new XmlElement("disk")
                .attribute("type", type())
                .attribute("device", device)
                .attribute("rawio", rawio ? "yes" : null);
        if (driver != null || subdriver != null || iothread != null || cache != null || io != null) {
            disk.child("driver")
                    .attribute("name", driver)
                    .attribute("type", subdriver)
                    .attribute("iothread", iothread)
                    .attribute("cache", cache)
                    .attribute("io", io);
        }
        appendSource(disk);
        disk.child("target").attribute("dev", target).attribute("bus", targetBus);
        if (withFilters && !chain.isEmpty()) {
            XmlElement filters = disk.child("throttlefilters");
            chain.groups().forEach(g -> filters.child("throttlefilter").attribute("group", g));
        }
        if (mode != null) {
            disk.child(mode);
        }
        if (serial != null) {
            disk.childWithText("serial", serial);
        }
        if (alias != null) {
            disk.child("alias").attribute("name", alias);
        }
        if (wwn != null) {
            disk.childWithText("wwn", wwn);
        }
        if (address != null) {
            appendAddress(disk);
        }
        return disk.format();
    }

    private void appendSource(XmlElement disk) {
        XmlElement s = disk.child("source");
        switch (type()) {
            case "block" -> s.attribute("dev", source);
            case "network" -> {
                s.attribute("protocol", network.protocol()).attribute("name", source);
                if (network.hasHost()) {
                    XmlElement host = s.child("host").attribute("transport", network.hostTransport());
                    if (network.hostName() != null) {
                        // host[:port], or [IPv6 address][:port]
                        Matcher m = HOST_PORT.matcher(network.hostName());
                        m.matches();
                        boolean bracketed = m.group(1) != null;
                        host.attribute("name", bracketed ? m.group(1) : m.group(3))
                                .attribute("port", bracketed ? m.group(2) : m.group(4));
                    }
                    host.attribute("socket", network.hostSocket());
                }
            }
            default -> s.attribute("file", source);
        }
    }

    private void appendAddress(XmlElement disk) {
        Matcher pci = PCI.matcher(address);
        Matcher ccw = CCW.matcher(address);
        Matcher drive = DRIVE.matcher(address);
        if (pci.matches()) {
            disk.child("address")
                    .attribute("type", "pci")
                    .attribute("domain", hex(pci.group(1), 4))
                    .attribute("bus", hex(pci.group(2), 2))
                    .attribute("slot", hex(pci.group(3), 2))
                    .attribute("function", hex(pci.group(4), 1))
                    .attribute("multifunction", multifunction ? "on" : null);
        } else if (ccw.matches()) {
            disk.child("address")
                    .attribute("type", "ccw")
                    .attribute("cssid", hex(ccw.group(1), 2))
                    .attribute("ssid", hex(ccw.group(2), 1))
                    .attribute("devno", hex(ccw.group(3), 4));
        } else if (drive.matches() && !multifunction) {
            disk.child("address")
                    .attribute("type", "drive")
                    .attribute("controller", drive.group(1))
                    .attribute("bus", drive.group(2))
                    .attribute("unit", drive.group(3));
        } else if (address.matches("(?:pci|ccw|scsi|ide|sata):.*")
                && !(address.matches("(?:scsi|ide|sata):.*") && multifunction)) {
            throw new InvalidConfigException("Invalid address.");
        } else {
            throw new InvalidConfigException(ADDRESS_KINDS);
        }
    }

    private static String hex(String value, int digits) {
        return String.format("0x%0" + digits + "x", Long.parseLong(value, 16));
    }
}
