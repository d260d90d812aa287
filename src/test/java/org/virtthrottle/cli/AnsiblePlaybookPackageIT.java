package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestGuest.Disk;
import org.virtthrottle.testing.TestHost;

/**
 * The example playbook (examples/ansible) run by the real ansible-playbook against this host
 * (connection: local), as on a fleet: it installs the built .deb (run by failsafe after `package`,
 * which passes its path as virtthrottle.deb), writes the state file and runs the installed
 * /usr/bin/virt-throttle apply on a running guest, whose throttling is read back with raw QMP and
 * from the config XML. The package is purged again afterwards. The package enables the watch service at
 * installation (the *PackageIT classes of packaging check that in clean roots); the playbook, told
 * virt_throttle_watch: false, disables it again. Starting or stopping it needs a running systemd, which
 * the test machine has not: the role skips that task there, and this test sees it skipped. The group
 * tenant is made a member of a tier whose budget the playbook writes to a tiers file of the test's own.
 */
@Tag("integration")
class AnsiblePlaybookPackageIT {
    private static final Path PLAYBOOK = Path.of("examples/ansible/site.yml");
    private static final Pattern RECAP =
            Pattern.compile("localhost\\s*:\\s*ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)");
    private static final Path WATCH_ENABLED =
            Path.of("/etc/systemd/system/multi-user.target.wants/virt-throttle-watch.service");
    private static final String APPLY_TASK = "TASK [virt_throttle : Apply the desired throttle state]";

    @RegisterExtension
    static final ClassGuest<TestGuest> GUEST = ClassGuest.startedBy(
            () -> TestGuest.start(new Disk("vda", "virtio", "qcow2"), new Disk("sda", "scsi", "qcow2")));

    @TempDir
    Path dir;

    @AfterAll
    static void purgeThePackage() throws Exception {
        TestHost.run(List.of("apt-get", "purge", "-y", "-q", "virt-throttle"));
        assertThat(Path.of("/usr/bin/virt-throttle")).doesNotExist();
    }

    private static Path deb() {
        String deb = System.getProperty("virtthrottle.deb");
        assertThat(deb)
                .as("system property virtthrottle.deb (failsafe sets it to the package `package` built)")
                .isNotNull();
        assertThat(Path.of(deb)).as("the built package").exists();
        return Path.of(deb).toAbsolutePath();
    }

    private final TestGuest guest = GUEST.guest();

    /** The tier tenant joins, in a tiers file of the test's own (no other guest is a member: they are counted host-wide). */
    private String tier() {
        return "ansible-" + guest.name();
    }

    /** One ansible-playbook run: its output and the changed count of its PLAY RECAP. */
    private record Run(String output, int changed) {
        /** What the apply task reported: "changed" or "ok". */
        String applyTask() {
            int at = output.indexOf(APPLY_TASK);
            assertThat(at).as(output).isNotNegative();
            // the task's line ends in stars, its result is the next line: "changed: [localhost]"
            return output.substring(at).lines().skip(1).findFirst().orElse("").split(":", 2)[0];
        }
    }

    private Run playbook(String tenantReadBytes, String... extraArgs) throws IOException, InterruptedException {
        Path vars = Files.writeString(
                dir.resolve("vars.yml"),
                String.join(
                        "\n",
                        "virt_throttle_deb: " + deb(),
                        "virt_throttle_connect: " + TestHost.URI,
                        "virt_throttle_state_file: " + dir.resolve("etc/virt-throttle/state.yaml"),
                        "virt_throttle_watch: false",
                        "virt_throttle_tiers_file: " + dir.resolve("tiers.yaml"),
                        "virt_throttle_tiers:",
                        "  " + tier() + ": {total_iops_sec: 3000}",
                        "virt_throttle_domains:",
                        "  " + guest.name() + ":",
                        "    groups:",
                        "      perdisk: {total_iops_sec: 300}",
                        "      tenant: {tier: " + tier() + ", read_bytes_sec: " + tenantReadBytes + "}",
                        "    disks:",
                        "      sda: [perdisk, tenant]",
                        "      vda: []",
                        ""));
        Path inventory = Files.writeString(
                dir.resolve("inventory.ini"),
                "[hypervisors]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n");
        Path ansible = Path.of("/usr/bin/ansible-playbook");
        assertThat(ansible)
                .as("ansible-playbook is missing: bin/host-setup --test-machine installs Debian's ansible-core")
                .isExecutable();
        List<String> command = new ArrayList<>(
                List.of(ansible.toString(), "-i", inventory.toString(), "-e", "@" + vars, PLAYBOOK.toString()));
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LC_ALL", "C.UTF-8");
        builder.environment().put("ANSIBLE_NOCOLOR", "1");
        builder.environment()
                .put("ANSIBLE_LOCAL_TEMP", dir.resolve("ansible-tmp").toString());
        builder.environment()
                .put("ANSIBLE_REMOTE_TEMP", dir.resolve("ansible-tmp").toString());
        builder.environment().put("ANSIBLE_RETRY_FILES_ENABLED", "0");
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES))
                .as("ansible-playbook finished\n" + output)
                .isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        Matcher recap = RECAP.matcher(output);
        assertThat(recap.find()).as("PLAY RECAP in\n" + output).isTrue();
        assertThat(recap.group(4)).as(output).isEqualTo("0");
        return new Run(output, Integer.parseInt(recap.group(2)));
    }

    private List<Object> throttling() {
        List<Object> state = new ArrayList<>(List.of(
                readTiers(),
                guest.chainUnder(guest.aliasOf("sda")),
                guest.chainUnder(guest.aliasOf("vda")),
                guest.inactiveXml(),
                guest.liveXml()));
        guest.throttleGroupObjects().forEach(g -> state.add(g + "=" + guest.qomLimits(g)));
        return state;
    }

    private String readTiers() {
        try {
            return Files.readString(dir.resolve("tiers.yaml"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void thePlaybookAppliesTheInventorysStateOnceReportsNoChangeAfterwardsAndItsCheckModeChangesNothing()
            throws Exception {
        Run first = playbook("10M");

        assertThat(first.changed())
                .as("package installed, its directory made, the state file written and applied, the watch service"
                        + " disabled\n" + first.output())
                .isEqualTo(5);
        assertThat(WATCH_ENABLED)
                .as("virt_throttle_watch: false undoes the package's enablement\n" + first.output())
                .doesNotExist();
        assertThat(first.output())
                .contains(
                        "TASK [virt_throttle : Disable virt-throttle-watch.service",
                        "TASK [virt_throttle : Stop virt-throttle-watch.service]")
                .containsPattern(
                        "TASK \\[virt_throttle : Stop virt-throttle-watch.service\\] \\**\\nskipping: \\[localhost\\]");
        assertThat(first.applyTask()).as(first.output()).isEqualTo("changed");
        assertThat(Path.of("/usr/bin/virt-throttle"))
                .as("installed by the playbook")
                .isExecutable();
        assertThat(TestHost.run(List.of("dpkg-query", "-W", "-f=${Status} ${Version}", "virt-throttle")))
                .startsWith("install ok installed ");
        assertThat(guest.chainUnder(guest.aliasOf("sda")))
                .containsExactly("throttle(throttle-tenant)", "throttle(throttle-perdisk)", "qcow2", "file");
        assertThat(guest.chainUnder(guest.aliasOf("vda"))).containsExactly("qcow2", "file");
        assertThat(guest.qomLimits("throttle-tenant").path("bps-read").asLong()).isEqualTo(10_485_760L);
        assertThat(guest.qomLimits("throttle-perdisk").path("iops-total").asLong())
                .isEqualTo(300);
        assertThat(guest.qomLimits("throttle-tenant").path("iops-total").asLong())
                .as("a member starts at its floor of the rate its tier divides")
                .isEqualTo(10);
        assertThat(Files.readString(dir.resolve("tiers.yaml")))
                .as("virt_throttle_tiers written to virt_throttle_tiers_file")
                .isEqualTo("tiers:\n  " + tier() + ":\n    total_iops_sec: 3000\n");
        assertThat(guest.inactiveXml())
                .contains(
                        "<vt:throttlefilter group=\"tenant\"/>",
                        "<vt:read_bytes_sec>10485760</vt:read_bytes_sec>",
                        "group=\"tenant\" tier=\"" + tier() + "\"");
        Path stateFile = dir.resolve("etc/virt-throttle/state.yaml");
        String written = Files.readString(stateFile);
        assertThat(written).contains("read_bytes_sec: 10M");
        List<Object> applied = throttling();

        Run second = playbook("10M");

        assertThat(second.changed()).as(second.output()).isZero();
        assertThat(second.applyTask()).isEqualTo("ok");
        assertThat(throttling()).isEqualTo(applied);

        Run check = playbook("20M", "--check");

        assertThat(check.changed())
                .as("the state file and the throttling would change\n" + check.output())
                .isEqualTo(2);
        assertThat(check.applyTask()).isEqualTo("changed");
        assertThat(check.output()).contains("live: set limits of throttle group tenant");
        assertThat(throttling()).as("--check changes nothing").isEqualTo(applied);
        assertThat(Files.readString(stateFile)).isEqualTo(written);
        assertThat(guest.isActive()).isTrue();
    }
}
