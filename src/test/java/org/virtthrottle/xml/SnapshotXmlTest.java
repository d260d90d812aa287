package org.virtthrottle.xml;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SnapshotXmlTest {
    @Test
    void onlyTheSnapshotsOwnExternalDisksCountNotTheDomainItEmbeds() {
        SnapshotXml snapshot = SnapshotXml.parse(
                """
                <domainsnapshot>
                  <name>s1</name>
                  <state>disk-snapshot</state>
                  <memory snapshot='no'/>
                  <disks>
                    <disk name='sdb' snapshot='external' type='file'>
                      <driver type='qcow2'/>
                      <source file='/tmp/a.s1'/>
                    </disk>
                    <disk name='vda' snapshot='no'/>
                    <disk name='/var/lib/c.qcow2' snapshot='external' type='file'/>
                  </disks>
                  <domain type='qemu'>
                    <devices>
                      <disk type='file' device='disk' snapshot='external'><target dev='vdc' bus='virtio'/></disk>
                    </devices>
                  </domain>
                </domainsnapshot>
                """);
        assertThat(snapshot.name()).isEqualTo("s1");
        assertThat(snapshot.externalDisks()).containsExactly("sdb", "/var/lib/c.qcow2");
    }
}
