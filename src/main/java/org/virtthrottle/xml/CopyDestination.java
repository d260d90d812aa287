package org.virtthrottle.xml;

/**
 * The {@code <disk>} virsh blockcopy writes for {@code --dest} (with {@code --blockdev} and
 * {@code --format}): same elements and layout, values escaped.
 */
public final class CopyDestination {
    private CopyDestination() {}

    public static String toXml(String path, boolean blockDevice, String format) {
        return "<disk type='" + (blockDevice ? "block" : "file") + "'>\n  <source " + (blockDevice ? "dev" : "file")
                + "='" + XmlText.escape(path, true) + "'/>\n"
                + (format == null ? "" : "  <driver type='" + XmlText.escape(format, true) + "'/>\n")
                + "</disk>\n";
    }
}
