package org.virtthrottle.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.virtthrottle.testing.LinuxGuest;
import org.virtthrottle.testing.NbdServer;
import org.virtthrottle.testing.TestHost;

/**
 * Runs the console examples of README.md and docs/ whose commands run {@code virt-throttle ...} on the
 * guest {@code web} (docs/examples.md) against a real guest, and compares what they print with what the
 * page shows, normalised as ConsoleExamplesIT does. Each page gets a guest of its own: the tests' Linux
 * guest (LinuxGuest: it keeps reading every disk it has), booted on the test host's libvirtd when the
 * page's first such block runs, with no disk, no throttle group, and a virtio-scsi controller; its blocks
 * run in order on it. What the pages name is mapped to the test's own: {@code web} to the guest's
 * domain, {@code /var/lib/libvirt/images/NAME.qcow2} (or {@code .raw}) to a fresh 64 MiB image,
 * {@code /run/nbd.sock} to the socket of a qemu-nbd serving a fresh image as export {@code export};
 * and back in what the commands print.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuestConsoleExamplesIT {
    private static final Pattern DOMAIN = Pattern.compile("(?<![\\w./-])web(?![\\w./-])");
    private static final Pattern IMAGE = Pattern.compile("/var/lib/libvirt/images/([\\w-]+)\\.(qcow2|raw)\\b");
    private static final String NBD_SOCKET = "/run/nbd.sock";

    /** The guest of the page that runs now, with what its blocks' names stand for. */
    private PageGuest current;

    @TestFactory
    Stream<DynamicTest> everyGuestExamplePrintsWhatItsPageShows() {
        List<ConsoleExamples.Block> blocks = ConsoleExamples.blocks(Path.of(""), ConsoleExamples.Runs.GUEST);
        assertThat(blocks)
                .as("console examples on the guest in README.md and docs/")
                .isNotEmpty();
        return blocks.stream().map(block -> DynamicTest.dynamicTest(block.toString(), () -> run(block)));
    }

    private void run(ConsoleExamples.Block block) throws Exception {
        if (current == null || !current.page.equals(block.page())) {
            stopGuest();
            current = new PageGuest(block.page(), LinuxGuest.boot());
        }
        Map<String, String> environment = Map.of("LIBVIRT_DEFAULT_URI", TestHost.URI);
        for (ConsoleExamples.Step step : block.steps()) {
            String printed = ConsoleExamples.run(block, current.real(step.command()), environment);
            ConsoleExamples.assertPrintsWhatThePageShows(block, step, current.shown(printed));
        }
    }

    @AfterAll
    void stopGuest() {
        if (current != null) {
            PageGuest stopping = current;
            current = null;
            stopping.close();
        }
    }

    /** A page's guest and what the names of its blocks stand for, made when first named. */
    private static final class PageGuest implements AutoCloseable {
        final String page;
        final LinuxGuest linux;
        /** The page's name of each thing made for it, and the real one. */
        final Map<String, String> names = new LinkedHashMap<>();

        final List<NbdServer> servers = new ArrayList<>();

        PageGuest(String page, LinuxGuest linux) {
            this.page = page;
            this.linux = linux;
        }

        /** A command as the page shows it, with the test's domain, images and socket in place of the page's names. */
        String real(String command) {
            Matcher image = IMAGE.matcher(command);
            while (image.find()) {
                names.computeIfAbsent(image.group(), shown -> TestHost.createImage(
                                linux.name() + "-" + image.group(1) + "." + image.group(2), image.group(2), "64M")
                        .toString());
            }
            if (command.contains(NBD_SOCKET) && !names.containsKey(NBD_SOCKET)) {
                Path socket = TestHost.imageDir().resolve(linux.name() + "-nbd.sock");
                servers.add(NbdServer.onSocket(linux.name() + "-export.qcow2", "export", socket));
                names.put(NBD_SOCKET, socket.toString());
            }
            String real = command;
            for (Map.Entry<String, String> name : names.entrySet()) {
                real = real.replace(name.getKey(), name.getValue());
            }
            return DOMAIN.matcher(real).replaceAll(Matcher.quoteReplacement(linux.name()));
        }

        /** What a command printed, with the page's names in place of the test's. */
        String shown(String printed) {
            String shown = printed;
            for (Map.Entry<String, String> name : names.entrySet()) {
                shown = shown.replace(name.getValue(), name.getKey());
            }
            return shown.replace(linux.name(), "web");
        }

        @Override
        public void close() {
            try {
                linux.close();
            } finally {
                servers.forEach(NbdServer::close);
                names.values().forEach(file -> new java.io.File(file).delete());
            }
        }
    }
}
