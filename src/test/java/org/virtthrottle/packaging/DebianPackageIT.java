package org.virtthrottle.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.virtthrottle.testing.DebianRoot;
import org.virtthrottle.testing.Terminal;
import org.virtthrottle.testing.TestHost;

/**
 * The Debian package the build made (system property virtthrottle.deb), checked with lintian, then
 * installed with {@code apt-get install ./virt-throttle_*.deb} into a clean Debian 12 (its Depends come
 * from Debian) and used there from PATH as an admin would; purged last.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebianPackageIT {
    private static final String UNIT = "/lib/systemd/system/virt-throttle-watch.service";
    private static final String ARCHIVE = "/var/cache/virt-throttle/virt-throttle.jsa";
    private static final String PROMPT = "vt-root$ ";

    private final Path deb = Path.of(required("virtthrottle.deb"));
    private final String version = required("virtthrottle.version");
    private DebianRoot root;
    private String installOutput;

    private static String required(String property) {
        String value = System.getProperty(property, "");
        if (value.isEmpty()) {
            throw new AssertionError(
                    "system property " + property + " is not set: run with mvn verify (failsafe sets it)");
        }
        return value;
    }

    @BeforeAll
    void install() throws Exception {
        assertThat(deb).as("the .deb that `mvn package` builds").isRegularFile();
        root = DebianRoot.create();
        assertThat(root.sh("command -v virt-throttle java").output())
                .as("a clean system")
                .isEmpty();
        Files.copy(deb, root.resolve("/tmp/virt-throttle.deb"), StandardCopyOption.REPLACE_EXISTING);
        installOutput = root.ok("apt-get install -y /tmp/virt-throttle.deb", "DEBIAN_FRONTEND=noninteractive");
        // postinst's training run for the class-data sharing archive leaves nothing in root's home
        assertThat(root.resolve("/root/.cache")).doesNotExist();
    }

    @AfterAll
    void dropRoot() {
        if (root != null) {
            root.close();
        }
    }

    @Test
    void lintianFindsNoErrorOrWarning() {
        String output = TestHost.run(List.of("lintian", "--fail-on", "error,warning", deb.toString()));
        assertThat(output.lines().filter(l -> l.matches("^[EW]: .*"))).isEmpty();
    }

    @Test
    void installedUnitPassesSystemdAnalyzeVerify() {
        DebianRoot.Result r = root.sh("systemd-analyze verify " + UNIT);
        assertThat(r.output()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(root.ok("cat " + UNIT)).contains("ExecStart=/usr/bin/virt-throttle ");
    }

    @Test
    void watchServiceIsNeitherEnabledNorStarted() {
        assertThat(root.sh("systemctl is-enabled virt-throttle-watch.service")
                        .output()
                        .strip())
                .isEqualTo("disabled");
        assertThat(root.ok("find /etc/systemd -name 'virt-throttle*'")).isEmpty();
    }

    @Test
    void versionRunsFromPathWithoutLibvirtd() {
        assertThat(root.ok("command -v virt-throttle").strip()).isEqualTo("/usr/bin/virt-throttle");
        assertThat(root.sh("test -e /run/libvirt/libvirt-sock || test -e /usr/sbin/libvirtd")
                        .exitCode())
                .as("no libvirtd in the root")
                .isNotZero();
        DebianRoot.Result r = root.sh("virt-throttle --version");
        assertThat(r.output()).isEqualTo("virt-throttle " + version + "\n");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void manShowsThePage() {
        String page = root.ok("man virt-throttle", "MANPAGER=cat", "COLUMNS=100", "LANG=C");
        assertThat(page)
                .contains("VIRT-THROTTLE(1)", "NAME", "virt-throttle - disk I/O throttle groups", "throttlegroupset");
        assertThat(root.ok("man -w virt-throttle").strip()).isEqualTo("/usr/share/man/man1/virt-throttle.1.gz");
    }

    /** A login bash loads bash-completion, which loads our completion on the first TAB after virt-throttle. */
    @Test
    void tabCompletesInBashFromPath() throws Exception {
        Path home = Files.createTempDirectory("vt-root-term-");
        try (Terminal terminal = Terminal.start(
                "vt-deb-it",
                home,
                String.join(
                        " ",
                        root.command("exec bash --login -i").stream()
                                .map(a -> "'" + a + "'")
                                .toList()))) {
            terminal.typeText("PS1='" + PROMPT + "'; cd /tmp; clear");
            terminal.type("Enter");
            terminal.awaitLine(PROMPT.strip(), 20);
            terminal.typeText("complete -p virt-throttle");
            terminal.type("Enter");
            terminal.awaitScreen("virt-throttle: no completion specification", 10);
            terminal.typeText("virt-throttle throttlegroupse");
            terminal.type("Tab");
            terminal.awaitLine(PROMPT + "virt-throttle throttlegroupset", 30);
            terminal.type("C-e", "C-u");
            terminal.typeText("virt-throttle attach-disk --throttle-g");
            terminal.type("Tab");
            terminal.awaitLine(PROMPT + "virt-throttle attach-disk --throttle-groups", 30);
            terminal.type("C-e", "C-u");
            terminal.typeText("clear; complete -p virt-throttle");
            terminal.type("Enter");
            terminal.awaitScreen("complete -F ", 10);
            assertThat(terminal.screen()).contains(" virt-throttle").doesNotContain("no completion specification");
        } finally {
            Files.deleteIfExists(home);
        }
    }

    @Test
    void classDataSharingArchiveIsMadeAtInstallAndUsed() throws Exception {
        Path archive = root.resolve(ARCHIVE);
        assertThat(installOutput).doesNotContain("no class-data sharing archive");
        assertThat(archive).isRegularFile();
        assertThat(Files.getOwner(archive).getName()).isEqualTo("root");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive.getParent())))
                .isEqualTo("rwxr-xr-x");
        assertThat(classesFromArchive()).as("classes loaded from " + ARCHIVE).isTrue();
    }

    /**
     * A stale archive (here: not an archive at all) is ignored silently; a package that changes /usr/lib/jvm
     * (a Java runtime upgrade) triggers a new one.
     */
    @Test
    void staleArchiveIsIgnoredAndJvmChangeMakesItAgain() throws Exception {
        Path archive = root.resolve(ARCHIVE);
        Files.delete(archive);
        Files.writeString(archive, "not a class-data sharing archive");
        assertThat(root.sh("virt-throttle --version"))
                .isEqualTo(new DebianRoot.Result(0, "virt-throttle " + version + "\n"));
        assertThat(classesFromArchive()).isFalse();

        root.ok("dpkg-trigger --no-await /usr/lib/jvm && dpkg --triggers-only --pending");
        assertThat(Files.size(archive)).isGreaterThan(1_000_000);
        assertThat(classesFromArchive()).isTrue();
    }

    /** Whether virt-throttle's main class came from the class-data sharing archive. */
    private boolean classesFromArchive() {
        String log = root.ok("virt-throttle --version", "JAVA_TOOL_OPTIONS=-Xlog:class+load=info");
        assertThat(log).contains("org.virtthrottle.cli.Main source: ");
        // "shared objects file" for our own class: loaded from our archive (the JDK's own holds none of ours)
        return log.contains("org.virtthrottle.cli.Main source: shared objects file");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void purgeRemovesEverything() {
        List<String> files = root.ok("dpkg -L virt-throttle")
                .lines()
                .filter(f -> !List.of(
                                "/.",
                                "/usr",
                                "/usr/bin",
                                "/usr/share",
                                "/usr/share/man",
                                "/usr/share/man/man1",
                                "/usr/share/doc",
                                "/lib",
                                "/lib/systemd",
                                "/lib/systemd/system",
                                "/usr/share/bash-completion",
                                "/usr/share/bash-completion/completions",
                                "/usr/share/lintian",
                                "/usr/share/lintian/overrides")
                        .contains(f))
                .toList();
        assertThat(files)
                .contains(
                        "/usr/bin/virt-throttle",
                        "/usr/share/virt-throttle/virt-throttle.jar",
                        UNIT,
                        "/usr/share/bash-completion/completions/virt-throttle",
                        "/usr/share/doc/virt-throttle/copyright");

        root.ok("apt-get purge -y virt-throttle", "DEBIAN_FRONTEND=noninteractive");

        assertThat(root.sh("dpkg -s virt-throttle").exitCode()).isNotZero();
        assertThat(files.stream().filter(f -> Files.exists(root.resolve(f))))
                .as("left after purge")
                .isEmpty();
        assertThat(root.resolve("/var/cache/virt-throttle")).doesNotExist();
        // anything else of ours, anywhere (man's own cache of formatted pages, from `man virt-throttle`, is man-db's)
        assertThat(root.ok("find / -xdev -name '*virt-throttle*' -not -path '/tmp/*' -not -path '/var/cache/man/*'"))
                .isEmpty();
    }
}
