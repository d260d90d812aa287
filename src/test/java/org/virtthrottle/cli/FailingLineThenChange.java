package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestHost;
import org.xmlunit.assertj3.XmlAssert;

/**
 * A line that fails (or only asks for help) before each kind of change, in one batch or one shell
 * session: the change must be exactly what its own line says. Each failing line carries values and
 * flags (--config, limits, --throttle-groups) that would show if they reached the next line.
 * The guest needs groups a and b, live and config.
 */
final class FailingLineThenChange {
    private static final Map<String, String> NS = Map.of("vt", "http://virt-throttle.org/xmlns/throttle/1.0");

    /** How the first line fails. */
    enum Failure {
        PARSE_ERROR,
        HELP,
        VALIDATION_ERROR,
        LIBVIRT_ERROR
    }

    private final Failure failure;
    private final String dom;
    private final String id;
    private final String target;

    /**
     * @param target a free scsi target for the disk the scenario attaches (sdb, sdc, ...)
     */
    FailingLineThenChange(Failure failure, String dom, String target) {
        this.failure = failure;
        this.dom = dom;
        this.id = failure.name().toLowerCase().replace("_", "");
        this.target = target;
    }

    /** What the scenarios need on the guest: groups a and b, live and config. */
    static void prepare(TestGuest guest) {
        CliRunner.Result groups = CliRunner.launch(
                "",
                "throttlegroupset " + guest.name() + " a --total-iops-sec 1000 --live --config; " + "throttlegroupset "
                        + guest.name() + " b --total-iops-sec 2000 --live --config");
        assertThat(groups.exitCode()).as(groups.toString()).isZero();
    }

    /** The lines to run, in order: a setup line, then pairs of a failing line and a changing line. */
    List<String> lines() {
        String image = TestHost.createImage(dom + "-" + target + ".qcow2", "qcow2", "16M")
                .toString();
        String unused = TestHost.createImage(dom + "-" + target + "-unused.qcow2", "qcow2", "16M")
                .toString();
        List<String> lines = new ArrayList<>();
        lines.add("throttlegroupset " + dom + " del" + id + " --total-iops-sec 1 --live --config");
        lines.add(failing(
                "throttlegroupset DOM set" + id + " --total-iops-sec 5 --total-bytes-sec 2M --config",
                "--total-iops-sec-max 2"));
        lines.add("throttlegroupset " + dom + " set" + id + " --read-bytes-sec 1M --live");
        lines.add(failing(
                "attach-disk DOM " + unused + " " + target + " --targetbus scsi --subdriver raw --throttle-groups a,b "
                        + "--config --serial leaked",
                "--current"));
        lines.add("attach-disk " + dom + " " + image + " " + target + " --targetbus scsi --subdriver qcow2 --live");
        lines.add(failing("throttlefilterset DOM " + target + " a,b --config", "--current"));
        lines.add("throttlefilterset " + dom + " " + target + " b --live");
        lines.add(failing("throttlegroupdel DOM del" + id + " --config", "--current"));
        lines.add("throttlegroupdel " + dom + " del" + id + " --live");
        // --prune would delete every group and chain the file does not name, were it to reach the next line
        String state = stateFile();
        lines.add(failing("apply -f " + state + " DOM --config --prune", "--current"));
        lines.add("apply -f " + state + " " + dom + " --live");
        return lines;
    }

    /** A desired-state file naming only the group the scenario's apply line sets. */
    private String stateFile() {
        try {
            return Files.writeString(
                            TestHost.imageDir().resolve(dom + "-" + id + ".yaml"),
                            "domains:\n  " + dom + ":\n    groups:\n      app" + id + ": {total_iops_sec: 7}\n")
                    .toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The failing line: the command, with what makes it fail. */
    private String failing(String line, String validationError) {
        return switch (failure) {
            case PARSE_ERROR -> line.replace("DOM", dom) + " --bogus";
            case HELP -> line.replace("DOM", dom) + " --help";
            case VALIDATION_ERROR -> line.replace("DOM", dom) + " " + validationError;
            case LIBVIRT_ERROR -> line.replace("DOM", "nosuch-" + dom);
        };
    }

    /** The group the scenario's throttlegroupset line sets. */
    String setGroup() {
        return "set" + id;
    }

    /** How many lines fail (--help succeeds), for the exit status. */
    int failingLines() {
        return failure == Failure.HELP ? 0 : 5;
    }

    /** How many error lines they print: one each, and virsh's heading before the refused throttlegroupset. */
    int errorLines() {
        return failingLines() + (failure == Failure.VALIDATION_ERROR ? 1 : 0);
    }

    /** Each change is what its own line said, read back with raw QMP and from both XMLs. */
    void assertEachChangeIsItsOwnLine(TestGuest guest) {
        // throttlegroupset: read_bytes_sec only (QEMU's default burst length is 1), live only
        JsonNode limits = guest.qomLimits("throttle-set" + id);
        assertThat(limits).as("throttle-set" + id).isNotNull();
        List<String> nonZero = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = limits.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            boolean defaultValue = e.getValue().asLong() == (e.getKey().endsWith("-max-length") ? 1 : 0);
            if (!defaultValue) {
                nonZero.add(e.getKey() + "=" + e.getValue().asLong());
            }
        }
        assertThat(nonZero).containsExactly("bps-read=1048576");
        String group = "/domain/metadata/vt:throttle/vt:throttlegroups/vt:throttlegroup[vt:group_name='set" + id + "']";
        XmlAssert.assertThat(guest.liveXml())
                .withNamespaceContext(NS)
                .valueByXPath("count(" + group + "/*)")
                .isEqualTo("2");
        XmlAssert.assertThat(guest.liveXml())
                .withNamespaceContext(NS)
                .valueByXPath(group + "/vt:read_bytes_sec")
                .isEqualTo("1048576");
        XmlAssert.assertThat(guest.inactiveXml())
                .withNamespaceContext(NS)
                .valueByXPath("count(" + group + ")")
                .isEqualTo("0");

        // attach-disk: no filters, live only, no serial; then throttlefilterset: b alone, live only
        assertThat(guest.chainUnder(guest.aliasOf(target))).containsExactly("throttle(throttle-b)", "qcow2", "file");
        assertThat(guest.inactiveXml()).doesNotContain("dev='" + target + "'");
        assertThat(guest.liveXml()).doesNotContain("leaked");
        String filters = "/domain/metadata/vt:throttle/vt:devices/vt:disk[vt:target/@dev='" + target
                + "']/vt:throttlefilters/vt:throttlefilter";
        XmlAssert.assertThat(guest.liveXml())
                .withNamespaceContext(NS)
                .valueByXPath("count(" + filters + ")")
                .isEqualTo("1");
        XmlAssert.assertThat(guest.liveXml())
                .withNamespaceContext(NS)
                .valueByXPath(filters + "/@group")
                .isEqualTo("b");
        XmlAssert.assertThat(guest.inactiveXml())
                .withNamespaceContext(NS)
                .valueByXPath("count(" + filters + ")")
                .isEqualTo("0");

        // apply: its group, live only, and nothing pruned (the groups above are still there)
        assertThat(guest.qomLimits("throttle-app" + id).path("iops-total").asLong())
                .isEqualTo(7);
        assertThat(guest.inactiveXml()).doesNotContain("app" + id);

        // throttlegroupdel: gone live, still in the config
        assertThat(guest.throttleGroupObjects())
                .doesNotContain("throttle-del" + id)
                .contains("throttle-set" + id);
        String deleted =
                "/domain/metadata/vt:throttle/vt:throttlegroups/vt:throttlegroup[vt:group_name='del" + id + "']";
        XmlAssert.assertThat(guest.inactiveXml())
                .withNamespaceContext(NS)
                .valueByXPath("count(" + deleted + ")")
                .isEqualTo("1");
    }
}
