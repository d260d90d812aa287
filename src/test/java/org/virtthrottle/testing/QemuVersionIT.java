package org.virtthrottle.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The tested daemon runs the QEMU it is meant to (TestHost.expectedQemu(): 10.0 in the qemu10 run of
 * the build, whose results would say nothing if it silently used the machine's QEMU 7.2): libvirt's
 * view ({@code virsh version}) and QEMU's own ({@code query-version} on a started guest) both say so.
 */
@Tag("integration")
class QemuVersionIT {
    private static final Pattern HYPERVISOR = Pattern.compile("Running hypervisor: QEMU (\\d+\\.\\d+\\.\\d+)");

    @Test
    void theGuestsRunTheExpectedQemu() {
        String expected = TestHost.expectedQemu();
        assertThat(expected).as("expected QEMU version").matches("\\d+\\.\\d+");
        String virsh = TestHost.run(List.of("virsh", "-c", TestHost.URI, "version"));
        Matcher m = HYPERVISOR.matcher(virsh);
        assertThat(m.find()).as(virsh).isTrue();
        String daemonSays = m.group(1);
        try (TestGuest guest = TestGuest.start()) {
            JsonNode qemu = guest.qmp("{\"execute\":\"query-version\"}").path("qemu");
            String qemuSays = qemu.path("major").asInt() + "."
                    + qemu.path("minor").asInt() + "." + qemu.path("micro").asInt();
            System.out.println(TestHost.URI + ": libvirt says QEMU " + daemonSays + ", the guest's QEMU says "
                    + qemuSays + "; expected " + expected + ".x");
            assertThat(qemuSays).as("QEMU of a guest on " + TestHost.URI).startsWith(expected + ".");
            assertThat(daemonSays).as("virsh version on " + TestHost.URI).isEqualTo(qemuSays);
        }
    }
}
