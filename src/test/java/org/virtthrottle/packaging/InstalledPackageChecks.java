package org.virtthrottle.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
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

/**
 * The Debian package the build made (system property virtthrottle.deb), installed with {@code apt-get
 * install ./virt-throttle_*.deb} into a clean Debian root (its Depends, the Java runtime among them, come
 * from Debian) and used there from PATH as an admin would; purged last. Each subclass names the Debian
 * release and the Java runtime; every virt-throttle run must print nothing on stderr it did not mean to
 * (a JVM warning, a logger line).
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class InstalledPackageChecks {
    static final String UNIT = "/lib/systemd/system/virt-throttle-watch.service";
    static final String UNIT_NAME = "virt-throttle-watch.service";
    static final String ARCHIVE = "/var/cache/virt-throttle/virt-throttle.jsa";
    private static final String PROMPT = "vt-root$ ";
    /** The link `systemctl enable` makes for the unit's WantedBy=multi-user.target. */
    private static final String WANTS = "/etc/systemd/system/multi-user.target.wants/" + UNIT_NAME;

    final Path deb = Path.of(required("virtthrottle.deb"));
    final String version = required("virtthrottle.version");
    DebianRoot root;
    private String installOutput;

    /** The test host whose clean root the package goes into: "bookworm" or "trixie-clean". */
    abstract String host();

    /** The Java feature release (17, 21, 25) that `java` on PATH is once the package is installed. */
    abstract int javaFeature();

    /** Debian packages installed before the package (an admin's other Java runtime); none by default. */
    String preinstalled() {
        return "";
    }

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
        root = DebianRoot.create(host());
        assertThat(root.sh("command -v virt-throttle java").output())
                .as("a clean system")
                .isEmpty();
        if (!preinstalled().isEmpty()) {
            root.ok("apt-get install -y --no-install-recommends " + preinstalled(), "DEBIAN_FRONTEND=noninteractive");
        }
        Files.copy(deb, root.resolve("/tmp/virt-throttle.deb"), StandardCopyOption.REPLACE_EXISTING);
        installOutput = root.ok("apt-get install -y /tmp/virt-throttle.deb", "DEBIAN_FRONTEND=noninteractive");
        // postinst's training run for the class-data sharing archive leaves nothing in root's home
        assertThat(root.resolve("/root/.cache")).doesNotExist();
        // the runtime apt chose (Depends) or the admin added: the one virt-throttle runs on
        assertThat(root.ok("java -version 2>&1"))
                .as("java on PATH")
                .containsPattern("(openjdk|java) version \"" + javaFeature() + "[.\"]");
    }

    /**
     * virt-throttle with {@code args} (a shell command line's words) from PATH: its stdout, after checking it
     * succeeded and printed nothing on stderr.
     */
    String virtThrottle(String args, String... env) {
        DebianRoot.Streams r = root.streams("virt-throttle " + args, env);
        assertThat(r.err())
                .as("stderr of virt-throttle " + args + " (" + r + ")")
                .isEmpty();
        assertThat(r.exitCode()).as("virt-throttle " + args + " (" + r + ")").isZero();
        return r.out();
    }

    @AfterAll
    void dropRoot() {
        if (root != null) {
            root.close();
        }
    }

    @Test
    void installedUnitPassesSystemdAnalyzeVerify() {
        DebianRoot.Result r = root.sh("systemd-analyze verify " + UNIT);
        assertThat(r.output()).isEmpty();
        assertThat(r.exitCode()).isZero();
        String unit = root.ok("cat " + UNIT);
        assertThat(unit).contains("ExecStart=/usr/bin/virt-throttle ");
        // the JVM flags the unit gives the watch reach its JVM through the installed launcher, silently
        String flags = unit.lines()
                .filter(l -> l.startsWith("Environment=VIRT_THROTTLE_JAVA_OPTS="))
                .map(l -> l.substring("Environment=VIRT_THROTTLE_JAVA_OPTS=".length()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no VIRT_THROTTLE_JAVA_OPTS in " + UNIT));
        assertThat(virtThrottle("--version", "VIRT_THROTTLE_JAVA_OPTS=" + flags + " -XX:+PrintCommandLineFlags"))
                .contains("-XX:MaxNewSize=16777216", "-XX:MaxHeapSize=268435456", "-XX:+ExitOnOutOfMemoryError")
                .endsWith("virt-throttle " + version + "\n");
    }

    /**
     * As Debian does for a packaged service (dh_installsystemd's default): enabled at installation, started
     * then and restarted on upgrade; an admin's `systemctl disable` stays. No systemd runs in the root, so
     * the starts are seen where deb-systemd-invoke asks whether it may run them: policy-rc.d, here a
     * recorder that says no (as the root's own one does), with /run/systemd/system present (how postinst
     * and deb-systemd-invoke tell that systemd runs).
     */
    @Test
    @Order(1)
    void watchServiceIsEnabledAtInstallStartedAndRestartedOnUpgradeUnlessDisabled() throws Exception {
        assertThat(root.sh("systemctl is-enabled " + UNIT_NAME).output().strip())
                .isEqualTo("enabled");
        assertThat(root.ok("readlink -f " + WANTS).strip())
                .isEqualTo(root.ok("readlink -f " + UNIT).strip());
        assertThat(root.ok("find /etc/systemd -name 'virt-throttle*'").strip()).isEqualTo(WANTS);

        Path asked = root.resolve("/tmp/asked");
        Path policy = root.resolve("/usr/sbin/policy-rc.d");
        String policyBefore = Files.readString(policy);
        Files.writeString(policy, "#!/bin/sh\necho \"$*\" >>/tmp/asked\nexit 101\n");
        Files.createDirectories(root.resolve("/run/systemd/system"));
        try {
            // what dpkg runs for a first installation (deb-systemd-helper wants to be run by dpkg)
            root.ok(
                    "/var/lib/dpkg/info/virt-throttle.postinst configure",
                    "DPKG_MAINTSCRIPT_PACKAGE=virt-throttle",
                    "DPKG_MAINTSCRIPT_NAME=postinst");
            assertThat(Files.readString(asked)).isEqualTo(UNIT_NAME + " start\n");
            Files.delete(asked);
            root.ok("apt-get install -y --reinstall /tmp/virt-throttle.deb", "DEBIAN_FRONTEND=noninteractive");
            assertThat(Files.readString(asked)).isEqualTo(UNIT_NAME + " restart\n");
            assertThat(root.resolve(WANTS)).isSymbolicLink();
        } finally {
            Files.writeString(policy, policyBefore);
            Files.deleteIfExists(asked);
            Files.deleteIfExists(root.resolve("/run/systemd/system"));
        }

        root.ok("systemctl disable " + UNIT_NAME);
        root.ok("apt-get install -y --reinstall /tmp/virt-throttle.deb", "DEBIAN_FRONTEND=noninteractive");
        assertThat(root.sh("systemctl is-enabled " + UNIT_NAME).output().strip())
                .as("disabled by the admin before the upgrade")
                .isEqualTo("disabled");
        assertThat(root.resolve(WANTS)).doesNotExist();
        root.ok("systemctl enable " + UNIT_NAME);
        assertThat(root.resolve(WANTS)).isSymbolicLink();
    }

    @Test
    void versionRunsFromPathWithoutLibvirtd() {
        assertThat(root.ok("command -v virt-throttle").strip()).isEqualTo("/usr/bin/virt-throttle");
        assertThat(root.sh("test -e /run/libvirt/libvirt-sock || test -e /usr/sbin/libvirtd")
                        .exitCode())
                .as("no libvirtd in the root")
                .isNotZero();
        assertThat(virtThrottle("--version")).isEqualTo("virt-throttle " + version + "\n");
    }

    /**
     * What every command prints without a hypervisor (its help, a refused command line, a disk's XML)
     * is byte for byte what the build's own jar prints on the build machine's Java 17: no runtime's
     * locale data, text layout or warning changes a byte (stdout, stderr and exit status compared).
     */
    @Test
    void everyCommandPrintsTheBytesTheBuildsJarPrints() {
        String help = onBuildMachine("help").out();
        List<String> commands = help.substring(help.indexOf("\nCommands:\n"))
                .lines()
                .filter(line -> line.matches("  [a-z][a-z0-9-]*.*"))
                .map(line -> line.strip().split("[ ,]", 2)[0])
                .toList();
        assertThat(commands).as("the commands of\n" + help).contains("throttlegroupset", "attach-disk", "watch");
        List<String> lines = new ArrayList<>(List.of(
                "help",
                "--version",
                "attach-disk web /var/lib/libvirt/images/web-vdb.qcow2 vdb --targetbus virtio --subdriver qcow2"
                        + " --throttle-groups perdisk,tenant --print-xml",
                "throttlegroupset",
                "--json throttlegroupset",
                "no-such-command",
                "throttlestat --interval 0",
                "throttlestat web --interval 0",
                "watch --check-interval x"));
        // every command's help in one process (a batch), each side
        lines.add(commands.stream().map(command -> "help " + command).collect(Collectors.joining(";")));
        for (String line : lines) {
            DebianRoot.Streams installed =
                    root.streams("virt-throttle " + (line.contains(";") ? "'" + line + "'" : line));
            DebianRoot.Streams built = onBuildMachine(line);
            assertThat(installed.out()).as("stdout of virt-throttle " + line).isEqualTo(built.out());
            assertThat(installed.err()).as("stderr of virt-throttle " + line).isEqualTo(built.err());
            assertThat(installed.exitCode())
                    .as("exit status of virt-throttle " + line)
                    .isEqualTo(built.exitCode());
        }
    }

    /** The build's jar run here with the build machine's java (Java 17), words split as a shell would. */
    private static DebianRoot.Streams onBuildMachine(String line) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                "target/virt-throttle.jar"));
        if (line.contains(";")) {
            command.add(line);
        } else {
            command.addAll(List.of(line.split(" ")));
        }
        try {
            Process p = new ProcessBuilder(command).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            return new DebianRoot.Streams(p.waitFor(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void manShowsThePage() {
        String page = root.ok("man virt-throttle", "MANPAGER=cat", "COLUMNS=100", "LANG=C");
        assertThat(page)
                .contains("VIRT-THROTTLE(1)", "NAME", "virt-throttle - disk I/O throttle groups", "throttlegroupset");
        assertThat(root.ok("man -w virt-throttle").strip()).isEqualTo("/usr/share/man/man1/virt-throttle.1.gz");
    }

    /** README.md and every page of docs/ are readable offline, the same bytes as in the checkout. */
    @Test
    void documentationIsInstalled() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        try (var docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        assertThat(pages).hasSizeGreaterThan(1);
        for (Path page : pages) {
            Path installed = root.resolve("/usr/share/doc/virt-throttle/" + page);
            assertThat(installed).as("installed " + page).hasSameBinaryContentAs(page);
        }
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
     * Java 25+ gets the JDK's AOT cache (measured faster there, docs/performance.md), older runtimes a class-data
     * sharing archive. An AOT cache holds its training run's profiles, which the JVM lists under "Archived
     * TrainingData Dictionary" when asked to print the archive.
     */
    @Test
    void archiveIsAnAotCacheFromJava25On() {
        String printed = root.ok("java @/usr/share/virt-throttle/java-options -XX:SharedArchiveFile=" + ARCHIVE
                + " -XX:+PrintSharedArchiveAndExit -cp /usr/share/virt-throttle/virt-throttle.jar 2>/dev/null");
        assertThat(printed).contains("archive is valid");
        List<String> lines = printed.lines().toList();
        int training = lines.indexOf("Archived TrainingData Dictionary");
        boolean profiles = training >= 0 && !lines.get(training + 1).startsWith("Number of shared symbols");
        assertThat(profiles).as("an AOT cache's training data").isEqualTo(javaFeature() >= 25);
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
        assertThat(virtThrottle("--version")).isEqualTo("virt-throttle " + version + "\n");
        assertThat(classesFromArchive()).isFalse();

        root.ok("dpkg-trigger --no-await /usr/lib/jvm && dpkg --triggers-only --pending");
        assertThat(Files.size(archive)).isGreaterThan(1_000_000);
        assertThat(classesFromArchive()).isTrue();
    }

    /** Whether virt-throttle's main class came from the class-data sharing archive (or Java 25's AOT cache). */
    boolean classesFromArchive() {
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
        // anything else of ours, anywhere. Not the package's: man's cache of formatted pages (man-db's, from
        // `man virt-throttle`), what running virt-throttle as root made (JNA's native part in root's
        // ~/.cache, the domain locks in /run, a tmpfs)
        assertThat(root.ok("find / -xdev -name '*virt-throttle*' -not -path '/tmp/*' -not -path '/var/cache/man/*'"
                        + " -not -path '/root/.cache/virt-throttle*' -not -path '/run/virt-throttle*'"))
                .isEmpty();
    }
}
