package org.virtthrottle.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.virtthrottle.testing.DebianRoot;
import org.virtthrottle.testing.NativeHost;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestGuest.Disk;
import org.virtthrottle.testing.TestHost;

/**
 * The package installed into a clean Debian 13: Java 21 from its Depends, libvirt 11.3's client library;
 * its commands run against the libvirtd 11.3 + QEMU 10 of test host trixie (its socket bound into the
 * root), i.e. through libvirt's own throttle-group API.
 */
class Debian13PackageIT extends InstalledPackageChecks {
    private static final String SOCKET_DIR = "/run/vt-trixie-libvirt";
    private static final String URI = "'qemu:///system?socket=" + SOCKET_DIR + "/libvirt-sock'";

    @Override
    String host() {
        return "trixie-clean";
    }

    @Override
    int javaFeature() {
        return 21;
    }

    @Test
    void changesAGroupThroughDebian13sLibvirtd() {
        String daemon = NativeHost.uri();
        root.bind(TestHost.root("trixie").resolve("run/libvirt"), SOCKET_DIR);
        try (TestGuest guest = TestGuest.defineOn(daemon, "", "", new Disk("vda", "virtio", "qcow2"))) {
            guest.startDomain();
            String dom = guest.name();
            assertThat(virtThrottle("-c " + URI + " throttlegroupset " + dom + " g1 --total-iops-sec 150 --live"))
                    .isEqualTo("Throttle group set successfully\n\n");
            assertThat(virtThrottle("-c " + URI + " throttlegroupinfo " + dom + " g1"))
                    .isEqualTo("total_iops_sec : 150\n\n");
            assertThat(virtThrottle("-c " + URI + " --json throttlegroupinfo " + dom + " g1"))
                    .isEqualTo("{\n  \"domain\" : \"" + dom + "\",\n  \"source\" : \"live\",\n  \"group\" : \"g1\",\n"
                            + "  \"limits\" : {\n    \"total_iops_sec\" : 150\n  }\n}\n");
            // libvirt itself has the group: the native API made it, not QEMU's monitor
            assertThat(NativeHost.run("virsh", "-c", "qemu:///system", "domthrottlegroupinfo", dom, "g1"))
                    .contains("total_iops_sec : 150");

            DebianRoot.Streams missing =
                    root.streams("virt-throttle -c " + URI + " throttlegroupinfo " + dom + " nosuch");
            assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(1);
            assertThat(missing.out()).isBlank();
            assertThat(missing.err().lines())
                    .as(missing.toString())
                    .singleElement()
                    .asString()
                    .startsWith("error: ");
        }
    }
}
