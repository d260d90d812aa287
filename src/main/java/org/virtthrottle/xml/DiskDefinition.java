package org.virtthrottle.xml;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.InvalidConfigException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A disk as virsh attach-disk describes it with its options, turned into a {@code <disk>} element.
 * Attributes and elements appear only when their option was given, as with virsh.
 */
public record DiskDefinition(String source, String target, String targetBus, String driver, String subdriver,
        String device, String mode, String cache, String io, String sourceType, String serial, String wwn,
        String alias, String address, boolean multifunction, String iothread, FilterChain chain) {

    private static final Pattern PCI = Pattern.compile("pci:(?:0x)?([0-9a-fA-F]+)\\.(?:0x)?([0-9a-fA-F]+)\\.(?:0x)?([0-9a-fA-F]+)\\.(?:0x)?([0-9a-fA-F]+)");
    private static final Pattern DRIVE = Pattern.compile("(scsi|ide|sata):(\\d+)\\.(\\d+)\\.(\\d+)");

    /**
     * The {@code <disk>} element; {@code withFilters} adds upstream's {@code <throttlefilters>}
     * (for --print-xml and libvirt 11.2+; libvirt 9.x/10.x would drop it).
     */
    public String toXml(boolean withFilters) {
        Document doc = Xml.newDocument();
        Element disk = Xml.appendElement(doc, "disk");
        disk.setAttribute("type", sourceType != null ? sourceType : "file");
        if (device != null) {
            disk.setAttribute("device", device);
        }
        if (driver != null || subdriver != null || cache != null || io != null || iothread != null) {
            Element d = Xml.appendElement(disk, "driver");
            setIfPresent(d, "name", driver);
            setIfPresent(d, "type", subdriver);
            setIfPresent(d, "cache", cache);
            setIfPresent(d, "io", io);
            setIfPresent(d, "iothread", iothread);
        }
        if (source != null && !source.isEmpty()) {
            Element s = Xml.appendElement(disk, "source");
            s.setAttribute("block".equals(sourceType) ? "dev" : "network".equals(sourceType) ? "name" : "file", source);
        }
        Element t = Xml.appendElement(disk, "target");
        t.setAttribute("dev", target);
        setIfPresent(t, "bus", targetBus);
        if (withFilters && chain != null && !chain.isEmpty()) {
            ThrottleConfigXml.writeChain(disk, chain);
        }
        if ("readonly".equals(mode)) {
            Xml.appendElement(disk, "readonly");
        } else if ("shareable".equals(mode)) {
            Xml.appendElement(disk, "shareable");
        } else if (mode != null) {
            throw new InvalidConfigException("No support for " + mode + " in command 'attach-disk'");
        }
        if (serial != null) {
            Xml.appendText(disk, "serial", serial);
        }
        if (wwn != null) {
            Xml.appendText(disk, "wwn", wwn);
        }
        if (alias != null) {
            Xml.appendElement(disk, "alias").setAttribute("name", alias);
        }
        if (address != null) {
            appendAddress(disk);
        }
        return Xml.print(disk, true) + "\n";
    }

    private void appendAddress(Element disk) {
        Element a = Xml.appendElement(disk, "address");
        Matcher pci = PCI.matcher(address);
        Matcher drive = DRIVE.matcher(address);
        if (pci.matches()) {
            a.setAttribute("type", "pci");
            a.setAttribute("domain", hex(pci.group(1), 4));
            a.setAttribute("bus", hex(pci.group(2), 2));
            a.setAttribute("slot", hex(pci.group(3), 2));
            a.setAttribute("function", "0x" + Integer.toHexString(Integer.parseInt(pci.group(4), 16)));
            if (multifunction) {
                a.setAttribute("multifunction", "on");
            }
        } else if (drive.matches()) {
            a.setAttribute("type", "drive");
            a.setAttribute("controller", drive.group(2));
            a.setAttribute("bus", drive.group(3));
            a.setAttribute("unit", drive.group(4));
        } else {
            throw new InvalidConfigException("Invalid address '" + address
                    + "': expected pci:DOMAIN.BUS.SLOT.FUNCTION or scsi|ide|sata:CONTROLLER.BUS.UNIT");
        }
    }

    private static String hex(String value, int digits) {
        return String.format("0x%0" + digits + "x", Integer.parseInt(value, 16));
    }

    private static void setIfPresent(Element e, String attribute, String value) {
        if (value != null) {
            e.setAttribute(attribute, value);
        }
    }
}
