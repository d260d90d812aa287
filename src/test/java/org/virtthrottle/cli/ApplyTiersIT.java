package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestGuest.Disk;

/**
 * apply -f and export with tiers on a running guest, on a tiers file of the test's own; QEMU read back
 * with raw QMP. In order, each test from the state the last left.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApplyTiersIT {
    @RegisterExtension
    static final ClassGuest<TestGuest> GUEST =
            ClassGuest.startedBy(() -> TestGuest.start(new Disk("vda", "virtio", "qcow2")));

    @TempDir
    static Path dir;

    private final TestGuest guest = GUEST.guest();

    /** A tier no other test's guest is a member of (members are counted host-wide). */
    private String tier() {
        return "applyit-" + guest.name();
    }

    private static Path tiersFile() {
        return dir.resolve("tiers.yaml");
    }

    private CliRunner.Result run(String... args) {
        return CliRunner.runWithTiers(tiersFile(), args);
    }

    private String file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text).toString();
    }

    private String member(String budget, String memberOf) {
        return "tiers:\n"
                + "  " + tier() + ": {total_iops_sec: " + budget + "}\n"
                + "domains:\n"
                + "  " + guest.name() + ":\n"
                + "    groups:\n"
                + "      t:\n"
                + "        tier: " + memberOf + "\n"
                + "        total_iops_sec: 2000\n"
                + "    disks:\n"
                + "      vda: [t]\n";
    }

    /** QEMU's limits, both XMLs and the tiers file: unchanged means nothing was changed. */
    private List<Object> everything() throws IOException {
        List<Object> state = new ArrayList<>();
        state.add(guest.liveXml());
        state.add(guest.inactiveXml());
        state.add(guest.chainUnder(guest.aliasOf("vda")));
        for (String group : guest.throttleGroupObjects()) {
            state.add(group + "=" + guest.qomLimits(group));
        }
        state.add(Files.exists(tiersFile()) ? Files.readString(tiersFile()) : "no tiers file");
        return state;
    }

    @Test
    @Order(1)
    void applyWritesTheBudgetAndTheMemberStartsAtItsFloorInQemu() throws IOException {
        CliRunner.Result r = run("apply", "-f", file("member.yaml", member("3000", tier())));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains(
                        "tiers: added tier " + tier() + ": total_iops_sec=3000\n",
                        guest.name() + ": live: created throttle group t (at its floor in tier " + tier() + ")\n",
                        guest.name() + ": live: throttle group t joined tier " + tier() + "\n",
                        guest.name() + ": config: throttle group t joined tier " + tier() + "\n");
        assertThat(r.out().indexOf("tiers: ")).as("the tiers first").isZero();
        assertThat(Files.readString(tiersFile())).isEqualTo("tiers:\n  " + tier() + ":\n    total_iops_sec: 3000\n");
        assertThat(dir.resolve("tiers.yaml.lock"))
                .as("written under the tiers file's lock, as the tier commands write it")
                .exists();
        assertThat(guest.qomLimits("throttle-t").path("iops-total").asLong())
                .as("the floor of the rate the tier divides")
                .isEqualTo(10);
        assertThat(guest.liveXml()).contains("group=\"t\" tier=\"" + tier() + "\"");
        assertThat(guest.inactiveXml()).contains("group=\"t\" tier=\"" + tier() + "\"");
    }

    @Test
    @Order(2)
    void exportPrintsTheBudgetAndTheMembershipAndApplyingItChangesNothing() throws IOException {
        CliRunner.Result exported = run("export", guest.name());
        assertThat(exported.exitCode()).as(exported.toString()).isZero();
        assertThat(exported.out())
                .isEqualTo("tiers:\n"
                        + "  " + tier() + ":\n"
                        + "    total_iops_sec: 3000\n"
                        + "domains:\n"
                        + "  " + guest.name() + ":\n"
                        + "    groups:\n"
                        + "      t:\n"
                        + "        tier: " + tier() + "\n"
                        + "        total_iops_sec: 2000\n"
                        + "    disks:\n"
                        + "      vda:\n"
                        + "      - t\n"
                        + "\n");
        List<Object> before = everything();

        CliRunner.Result again = run("--json", "apply", "-f", file("exported.yaml", exported.out()));

        assertThat(again.exitCode()).as(again.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(again.out());
        assertThat(json.path("changed").asBoolean(true)).as(again.out()).isFalse();
        assertThat(json.path("tiers").path("changed").asBoolean(true)).isFalse();
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void aBadFileChangesNothingAndNamesItsLine() throws IOException {
        List<Object> before = everything();

        CliRunner.Result unknown = run("apply", "-f", file("unknown.yaml", member("4000", "nosuch")));
        CliRunner.Result belowFloor = run("apply", "-f", file("floor.yaml", member("5", tier())));

        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err())
                .isEqualTo("error: " + dir.resolve("unknown.yaml") + " line 6: domains." + guest.name()
                        + ".groups.t: tier 'nosuch' not found (neither the file's tiers: nor the host's tiers file"
                        + " has it)\n");
        assertThat(belowFloor.exitCode()).isNotZero();
        assertThat(belowFloor.err())
                .isEqualTo("error: " + dir.resolve("floor.yaml") + " line 2: tiers." + tier() + ": tier '" + tier()
                        + "': total_iops_sec=5 is below what its 1 member group(s) need at least (1 x 10 = 10)\n");
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    @Order(4)
    void aDryRunShowsTheLeaveAndTheBudgetThenTheGroupLeavesAndGetsItsOwnLimitBack() throws IOException {
        String leave = file("leave.yaml", member("4000", "''"));
        List<Object> before = everything();

        CliRunner.Result dry = run("apply", "-f", leave, "--dry-run");

        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.out())
                .contains(
                        "tiers: would: set the budget of tier " + tier()
                                + " to total_iops_sec=4000 (was total_iops_sec=3000)\n",
                        "would write " + tiersFile() + ":\n",
                        guest.name() + ": would: live: throttle group t left tier " + tier() + "\n",
                        guest.name() + ": would: config: throttle group t left tier " + tier() + "\n");
        assertThat(everything()).isEqualTo(before);

        CliRunner.Result left = run("apply", "-f", leave);
        assertThat(left.exitCode()).as(left.toString()).isZero();
        assertThat(guest.qomLimits("throttle-t").path("iops-total").asLong()).isEqualTo(2000);
        assertThat(guest.liveXml()).doesNotContain("tier=\"" + tier() + "\"");
        assertThat(Files.readString(tiersFile())).contains("total_iops_sec: 4000");
    }
}
