package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.virtthrottle.qmp.QmpTransport;
import org.virtthrottle.testing.TestGuest;

/** QMP round trips per operation: no more than the change needs (counted in the transport). */
@Tag("integration")
class RoundTripsIT {
    private static List<String> sent(String... args) {
        List<String> sent = new ArrayList<>();
        UnaryOperator<QmpTransport> counter = transport -> command -> {
            sent.add(command.replaceAll(".*\"execute\":\"([^\"]+)\".*", "$1"));
            return transport.send(command);
        };
        CliRunner.Result r = CliRunner.run(counter, args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return sent;
    }

    @Test
    void eachGroupOperationIsOneQmpCommand() {
        try (TestGuest guest = TestGuest.start()) {
            String dom = guest.name();
            assertThat(sent("throttlegroupset", dom, "g", "--total-iops-sec", "10", "--live"))
                    .containsExactly("object-add");
            assertThat(sent("throttlegroupset", dom, "g", "--read-bytes-sec", "1M", "--live", "--config"))
                    .containsExactly("qom-set");
            assertThat(sent("throttlegroupinfo", dom, "g")).containsExactly("qom-get");
            assertThat(sent("throttlegrouplist", dom)).containsExactly("qom-list");
            assertThat(sent("throttlegroupdel", dom, "g", "--live")).containsExactly("object-del");
            assertThat(guest.throttleGroupObjects()).isEmpty();
        }
    }

    @Test
    void aStaleRecordAfterARestartFallsBackToWhatQemuHas() {
        try (TestGuest guest = TestGuest.start()) {
            String dom = guest.name();
            assertThat(sent("throttlegroupset", dom, "g", "--total-iops-sec", "10", "--live", "--config"))
                    .containsExactly("object-add");
            guest.destroyDomain();
            guest.startDomain();
            // the live record (a copy of the config at start) names g, QEMU has no such object
            assertThat(sent("throttlegroupset", dom, "g", "--write-iops-sec", "3", "--live"))
                    .containsExactly("qom-set", "qom-get", "object-add");
            assertThat(guest.qomLimits("throttle-g").get("iops-write").asLong()).isEqualTo(3);
            guest.destroyDomain();
            guest.startDomain();
            CliRunner.Result del = CliRunner.run("throttlegroupdel", dom, "g", "--live");
            assertThat(del.exitCode()).isEqualTo(1);
            assertThat(del.err()).isEqualTo("error: throttle group 'g' not found in the running domain\n");
        }
    }
}
