package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.NbdServer;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestHost;

/**
 * attach-disk of network disks (virsh's --source-protocol and --source-host-* options) behind a
 * throttle chain, on a running QEMU, served by a real qemu-nbd (a unix socket, or 127.0.0.1).
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkDiskIT {
    @RegisterExtension
    static final ClassGuest<TestGuest> GUEST = ClassGuest.startedBy(() -> TestGuest.start());

    private final TestGuest guest = GUEST.guest();
    private final String dom = guest.name();
    private final List<NbdServer> servers = new ArrayList<>();

    @BeforeAll
    void createGroups() {
        for (String g : List.of("g1", "g2")) {
            ok(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " " + g + " --total-iops-sec 1000 --live")));
        }
    }

    @AfterEach
    void stopServers() {
        servers.forEach(NbdServer::close);
        servers.clear();
    }

    private static void ok(CliRunner.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    /** qemu-nbd serving a fresh qcow2 image as export {@code export}, with the given listening options. */
    private void serveNbd(String export, List<String> listen, java.util.function.BooleanSupplier listening) {
        servers.add(NbdServer.serve(dom + "-" + export + ".qcow2", export, listen, listening));
    }

    private void attachedBehindTheChainThenDetachedClean(String target, String... attachOptions) {
        List<String> args = new ArrayList<>(List.of("attach-disk", dom));
        args.addAll(List.of(attachOptions));
        args.addAll(List.of("--throttle-groups", "g1,g2", "--live"));
        CliRunner.Result attach = CliRunner.run(args.toArray(String[]::new));
        ok(attach);
        assertThat(attach.out()).isEqualTo("Disk attached successfully\n\n");
        assertThat(guest.liveXml())
                .contains("<disk type='network' device='disk'>")
                .contains("protocol='nbd'");
        List<String[]> chain = guest.chainNodes(guest.aliasOf(target));
        assertThat(chain.stream().map(n -> n[1]).toList())
                .containsExactly("throttle(throttle-g2)", "throttle(throttle-g1)", "raw", "nbd");
        List<String> diskNodes = chain.stream().map(n -> n[0]).toList();

        ok(CliRunner.run("detach-disk", dom, target, "--live"));
        assertThat(guest.state().blockNodes()).doesNotContainAnyElementsOf(diskNodes);
        assertThat(guest.liveXml()).doesNotContain("<target dev='" + target + "'");
        assertThat(guest.isActive()).isTrue();
    }

    @Test
    void nbdOnAUnixSocket() throws Exception {
        Path socket = TestHost.imageDir().resolve(dom + "-nbd.sock");
        servers.add(NbdServer.onSocket(dom + "-data.qcow2", "data", socket));
        attachedBehindTheChainThenDetachedClean(
                "sdb",
                "data",
                "sdb",
                "--targetbus",
                "scsi",
                "--subdriver",
                "raw",
                "--source-protocol",
                "nbd",
                "--source-host-transport",
                "unix",
                "--source-host-socket",
                socket.toString());
    }

    @Test
    void nbdOnLoopbackTcp() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        int nbdPort = port;
        serveNbd("tcpdata", List.of("--bind=127.0.0.1", "--port=" + port), () -> {
            try (java.net.Socket probe = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), nbdPort)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        attachedBehindTheChainThenDetachedClean(
                "sdc",
                "tcpdata",
                "sdc",
                "--targetbus",
                "scsi",
                "--subdriver",
                "raw",
                "--sourcetype",
                "network",
                "--source-protocol",
                "nbd",
                "--source-host-name",
                "127.0.0.1:" + port);
    }
}
