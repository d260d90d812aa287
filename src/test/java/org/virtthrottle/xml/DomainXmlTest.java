package org.virtthrottle.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.InvalidConfigException;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;

class DomainXmlTest {

    private static DomainXml fixture(String name) throws IOException {
        return DomainXml.parse(Files.readString(Path.of("testdata/xml", name)));
    }

    private static ThrottleGroup group(String name, Object... fieldsAndValues) {
        Map<LimitField, Long> values = new EnumMap<>(LimitField.class);
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            values.put((LimitField) fieldsAndValues[i], ((Number) fieldsAndValues[i + 1]).longValue());
        }
        return new ThrottleGroup(name, ThrottleLimits.of(values));
    }

    @Test
    void readsOurMetadataFromTheDomainsMetadataElement() throws IOException {
        DomainXml domain = fixture("domain-with-metadata.xml");

        DomainThrottleConfig config = domain.metadataThrottleConfig();

        assertThat(domain.hasThrottleMetadata()).isTrue();
        assertThat(config.groups())
                .containsExactly(
                        group(
                                "db",
                                LimitField.TOTAL_BYTES_SEC,
                                10_485_760,
                                LimitField.TOTAL_BYTES_SEC_MAX,
                                20_971_520,
                                LimitField.TOTAL_BYTES_SEC_MAX_LENGTH,
                                30),
                        group("shared", LimitField.READ_IOPS_SEC, 500, LimitField.WRITE_IOPS_SEC, 200));
        assertThat(config.chains())
                .containsExactly(entry("vda", FilterChain.of("shared", "db")), entry("vdb", FilterChain.of("shared")));
    }

    @Test
    void readsUpstreamNativeElements() throws IOException {
        DomainXml domain = fixture("domain-native-11.x.xml");

        DomainThrottleConfig config = domain.nativeThrottleConfig();

        assertThat(domain.hasThrottleMetadata()).isFalse();
        assertThat(config.groups())
                .containsExactly(
                        group("limit0", LimitField.TOTAL_BYTES_SEC, 10_000_000, LimitField.TOTAL_IOPS_SEC, 400_000),
                        group("limit1", LimitField.READ_BYTES_SEC, 5_000_000, LimitField.WRITE_BYTES_SEC, 2_500_000));
        // vda has no <throttlefilters>, so it has no chain
        assertThat(config.chains())
                .containsExactly(
                        entry("vdb", FilterChain.of("limit0", "limit1")), entry("vdc", FilterChain.of("limit1")));
    }

    @Test
    void eachReaderSeesOnlyItsOwnElements() throws IOException {
        DomainXml domain = fixture("domain-metadata-and-native.xml");

        DomainThrottleConfig config = domain.metadataThrottleConfig();

        assertThat(domain.hasThrottleMetadata()).isTrue();
        assertThat(config.groups()).containsExactly(group("from-metadata", LimitField.TOTAL_IOPS_SEC, 100));
        assertThat(config.chains()).containsExactly(entry("vda", FilterChain.of("from-metadata")));
        assertThat(domain.nativeThrottleConfig().groups())
                .extracting(ThrottleGroup::name)
                .doesNotContain("from-metadata")
                .isNotEmpty();
    }

    @Test
    void domainWithNeitherHasAnEmptyConfig() throws IOException {
        DomainXml domain = fixture("domain-plain.xml");

        assertThat(domain.hasThrottleMetadata()).isFalse();
        assertThat(domain.metadataThrottleConfig()).isEqualTo(DomainThrottleConfig.EMPTY);
        assertThat(domain.nativeThrottleConfig()).isEqualTo(DomainThrottleConfig.EMPTY);
    }

    @Test
    void throttleElementInAnotherNamespaceIsNotOurs() {
        DomainXml domain = DomainXml.parse(
                """
                <domain type='kvm'>
                  <name>other</name>
                  <metadata>
                    <o:throttle xmlns:o="http://example.org/not-virt-throttle">
                      <o:throttlegroups>
                        <o:throttlegroup><o:total_iops_sec>1</o:total_iops_sec><o:group_name>x</o:group_name></o:throttlegroup>
                      </o:throttlegroups>
                    </o:throttle>
                  </metadata>
                  <devices/>
                </domain>
                """);

        assertThat(domain.hasThrottleMetadata()).isFalse();
        assertThat(domain.metadataThrottleConfig().isEmpty()).isTrue();
    }

    @Test
    void liveDisksCarryTheirAliases() throws IOException {
        DomainXml live = fixture("domain-live.xml");

        assertThat(live.disks())
                .extracting(DiskInfo::alias, DiskInfo::target)
                .startsWith(
                        org.assertj.core.groups.Tuple.tuple("virtio-disk0", "vda"),
                        org.assertj.core.groups.Tuple.tuple("scsi0-0-0-0", "sda"));
    }

    @Test
    void persistentXmlHasNoAliases() throws IOException {
        assertThat(fixture("domain-with-metadata.xml").disks())
                .extracting(DiskInfo::alias)
                .containsOnlyNulls();
    }

    @Test
    void malformedNumberInANativeGroupNamesFieldAndGroup() {
        DomainXml domain = DomainXml.parse(
                """
                <domain type='kvm'>
                  <name>bad</name>
                  <throttlegroups>
                    <throttlegroup>
                      <group_name>limit0</group_name>
                      <read_bytes_sec>ten</read_bytes_sec>
                    </throttlegroup>
                  </throttlegroups>
                  <devices/>
                </domain>
                """);

        assertThatThrownBy(domain::nativeThrottleConfig)
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("read_bytes_sec")
                .hasMessageContaining("'limit0'");
    }

    @Test
    void unparsableXmlIsReported() {
        assertThatThrownBy(() -> DomainXml.parse("<domain><name>x</domain>"))
                .isInstanceOf(VirtThrottleException.class)
                .hasMessageStartingWith("cannot parse XML: ");
    }

    /** A running domain as libvirt 10+ writes it: IOThreads on a disk, a controller and as a queue mapping. */
    private static final String IOTHREAD_DOMAIN =
            """
            <domain type='kvm' id='3'><name>io</name><iothreads>3</iothreads><devices>
              <disk type='file' device='disk'><driver name='qemu' type='qcow2' iothread='2'/><source file='/a'/>
                <target dev='vda' bus='virtio'/><alias name='virtio-disk0'/></disk>
              <disk type='file' device='disk'><driver name='qemu' type='raw' queues='2'><iothreads>
                  <iothread id='1'><queue id='0'/></iothread><iothread id='3'><queue id='1'/></iothread></iothreads></driver>
                <source file='/b'/><target dev='vdb' bus='virtio'/></disk>
              <disk type='file' device='disk'><source file='/c'/><target dev='vdc' bus='virtio'/></disk>
              <disk type='file' device='disk'><source file='/d'/><target dev='sda' bus='scsi'/>
                <address type='drive' controller='1' bus='0' target='0' unit='0'/></disk>
              <disk type='file' device='disk'><source file='/e'/><target dev='sdb' bus='scsi'/>
                <address type='drive' controller='0' bus='0' target='0' unit='1'/></disk>
              <disk type='block' device='lun'><source dev='/dev/sg0'/><target dev='sdc' bus='scsi'/></disk>
              <controller type='scsi' index='0' model='virtio-scsi'/>
              <controller type='scsi' index='1' model='virtio-scsi'><driver iothread='3'/></controller>
            </devices></domain>""";

    @Test
    void knowsWhichIothreadEachDiskRunsIn() {
        DomainXml domain = DomainXml.parse(IOTHREAD_DOMAIN);
        Map<String, String> where = new java.util.LinkedHashMap<>();
        domain.disks().forEach(d -> where.put(d.target(), d.iothread() + (d.iothreadMapping() ? " mapped" : "")));

        assertThat(where)
                .containsExactly(
                        entry("vda", "2"),
                        entry("vdb", "null mapped"),
                        entry("vdc", "null"),
                        entry("sda", "3"),
                        entry("sdb", "null"),
                        entry("sdc", "null"));
        assertThat(domain.disk("sdc").orElseThrow().device()).isEqualTo("lun");
    }

    @Test
    void aDiskNotAttachedYetRunsWhereItsControllerDoes() {
        DomainXml domain = DomainXml.parse(IOTHREAD_DOMAIN);

        assertThat(domain.newDisk("<disk type='file'><source file='/x'/><target dev='sdd' bus='scsi'/>"
                                + "<address type='drive' controller='1' bus='0' target='0' unit='3'/></disk>")
                        .iothread())
                .isEqualTo(3);
        assertThat(domain.newDisk("<disk type='file'><source file='/x'/><target dev='sdd' bus='scsi'/></disk>")
                        .iothread())
                .as("controller 0 until libvirt gives it an address")
                .isNull();
        assertThat(domain.newDisk(
                                "<disk type='file'><driver iothread='1'/><source file='/x'/><target dev='vdd' bus='virtio'/></disk>")
                        .iothread())
                .isEqualTo(1);
    }

    @Test
    void diskAsVirshPrintsItKeepsTheDocumentsLayoutAndAttributeOrderLessTheBackingStore() {
        DomainXml domain = DomainXml.parse(
                """
                <domain type='qemu'>
                  <devices>
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='raw'/>
                      <source file='/a&amp;b' index='1'/>
                      <backingStore/>
                      <target dev='sdb' bus='scsi'/>
                      <serial>x&gt;y</serial>
                    </disk>
                  </devices>
                </domain>
                """);

        assertThat(domain.diskAsVirshPrints("sdb"))
                .contains(
                        """
                <disk type="file" device="disk">
                      <driver name="qemu" type="raw"/>
                      <source file="/a&amp;b" index="1"/>
                     \s
                      <target dev="sdb" bus="scsi"/>
                      <serial>x&gt;y</serial>
                    </disk>""");
        assertThat(domain.diskAsVirshPrints("sdc")).isEmpty();
    }
}
