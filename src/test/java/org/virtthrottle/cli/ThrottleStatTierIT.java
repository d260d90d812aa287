package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.virtthrottle.testing.LinuxGuest;
import org.virtthrottle.testing.TestHost;

/**
 * throttlestat --tier on a real Linux guest that reads its disk sda back to back, its group g a member
 * of a tier of the test's own (a name no other domain's group can have joined): no watch runs, so g's
 * share is its floor, 10 IOPS, and the guest reads at it. The share printed must be QEMU's limit read
 * with raw QMP, the rate near it, the member backlogged.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThrottleStatTierIT {
    private final String tier = "stat" + UUID.randomUUID().toString().substring(0, 8);
    private Path tiers;
    private LinuxGuest linux;
    private String dom;

    @BeforeAll
    void aGuestReadingBehindAMemberGroup() throws IOException {
        tiers = Files.createTempDirectory("vt-tiers").resolve("tiers.yaml");
        Path image = TestHost.createImage("vt-tierstat-" + System.nanoTime() + ".qcow2", "qcow2", "48M");
        linux = LinuxGuest.bootOn(
                TestHost.URI,
                "",
                "<controller type='scsi' model='virtio-scsi'/><disk type='file' device='disk'>"
                        + "<driver name='qemu' type='qcow2'/><source file='" + image + "'/>"
                        + "<target dev='sda' bus='scsi'/></disk>",
                "vt.count=10000 vt.pause=0");
        dom = linux.name();
        ok(cli("throttletierset " + tier + " --total-iops-sec 3000"));
        ok(cli("throttlegroupset " + dom + " g --total-iops-sec 1000 --live"));
        ok(cli("throttlefilterset " + dom + " sda g --live"));
        ok(cli("throttlegroupset " + dom + " g --tier " + tier + " --live"));
    }

    @AfterAll
    void close() {
        if (linux != null) {
            linux.close();
        }
    }

    private long qemuShare() {
        return linux.guest().qomLimits("throttle-g").path("iops-total").asLong();
    }

    @Test
    void theShareIsQemusLimitAndTheMemberReadsAtIt() throws Exception {
        // JSON: the member's share as QEMU has it, its rate near it (backlogged), the tier's sum of it
        List<JsonNode> docs = documents(ok(cli("--json throttlestat --tier " + tier + " --interval 3 --count 1"))
                .out());
        assertThat(docs).hasSize(1);
        JsonNode doc = docs.get(0);
        String seen = doc.toPrettyString();
        assertThat(qemuShare()).as("the floor, until watch divides").isEqualTo(10);
        JsonNode member = null;
        for (JsonNode m : doc.path("members")) {
            if (m.path("domain").asText().equals(dom)) {
                member = m;
            }
        }
        assertThat(member).as(seen).isNotNull();
        assertThat(doc.path("members")).as("the tier's only member").hasSize(1);
        JsonNode iops = member.path("limits").get(0);
        assertThat(iops.path("limit").asText()).isEqualTo("total_iops_sec");
        assertThat(iops.path("share").asLong()).as(seen).isEqualTo(qemuShare());
        assertThat(iops.path("rate").asDouble()).as(seen).isBetween(7.0, 13.0);
        assertThat(iops.path("backlogged").asBoolean()).as(seen).isTrue();
        assertThat(iops.path("demand").isNull()).as(seen).isTrue();
        JsonNode total = doc.path("rates").get(0);
        assertThat(total.path("budget").asLong()).isEqualTo(3000);
        assertThat(total.path("rate").asDouble()).isEqualTo(iops.path("rate").asDouble());
        assertThat(total.path("percent").asDouble()).as(seen).isBetween(0.2, 0.5);
        assertThat(doc.path("notes")).as(seen).isEmpty();

        // the text: the budget row and the member's row with its share, rate, use and demand
        CliRunner.Result text = ok(cli("throttlestat --tier " + tier + " --interval 2 --count 1"));
        System.out.println("ThrottleStatTierIT: throttlestat --tier:\n" + text.out());
        assertThat(text.out())
                .containsPattern("(?m)^tier " + tier + ": [0-9.]+ s to \\S+Z$")
                .containsPattern("(?m)^ total_iops_sec +3\\.0k IOPS +[0-9.]+ IOPS +0% \\[\\.{20}\\] +1$");
        Matcher row = Pattern.compile("(?m)^ " + Pattern.quote(dom)
                        + " +g +total_iops_sec +10\\.0 IOPS +([0-9.]+) IOPS +(\\d+)% \\[[#.+]{20}\\] +backlogged$")
                .matcher(text.out());
        assertThat(row.find()).as(text.out()).isTrue();
        assertThat(Double.parseDouble(row.group(1))).as(text.out()).isBetween(7.0, 13.0);

        // Prometheus: promtool accepts it, and the share is QEMU's
        CliRunner.Result prom = ok(cli("throttlestat --prometheus --tier " + tier + " --interval 2"));
        Process promtool = promtool(null, "check", "metrics");
        promtool.getOutputStream().write(prom.out().getBytes(StandardCharsets.UTF_8));
        promtool.getOutputStream().close();
        String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor()).as(verdict + "\n" + prom.out()).isZero();
        assertThat(verdict).as(prom.out()).isEmpty();
        String labels = "{tier=\"" + tier + "\",domain=\"" + dom + "\",group=\"g\",rate=\"total_iops_sec\"}";
        assertThat(prom.out())
                .contains("virt_throttle_tier_budget{tier=\"" + tier + "\",rate=\"total_iops_sec\"} 3000\n")
                .contains("virt_throttle_tier_member_share" + labels + " " + qemuShare() + "\n")
                .contains("virt_throttle_tier_member_backlogged" + labels + " 1\n")
                .containsPattern(
                        Pattern.quote("virt_throttle_tier_member_rate" + labels) + " ([7-9]|1[0-3])(\\.\\d+)?\n");
        assertThat(linux.guest().isActive()).isTrue();
    }

    /** docs/monitoring.md's PromQL for "tier at N% of its budget" picks the tier above 90% and not the other. */
    @Test
    void theDocsPromqlForATierNearItsBudget() throws Exception {
        String doc = Files.readString(Path.of("docs", "monitoring.md"));
        Matcher query =
                Pattern.compile("```promql\n([^`]*virt_throttle_tier_[^`]*)```").matcher(doc);
        assertThat(query.find())
                .as("docs/monitoring.md has a ```promql block on tiers")
                .isTrue();
        Path dir = Files.createTempDirectory("vt-promql");
        Files.writeString(
                dir.resolve("rules.yml"),
                "groups:\n  - name: vt\n    rules:\n"
                        + "      - record: virt_throttle:tier_near_budget\n        expr: |\n"
                        + query.group(1)
                                .lines()
                                .map(l -> "          " + l + "\n")
                                .collect(Collectors.joining()));
        Files.copy(Path.of("src/test/resources/promql/tier-near-budget-test.yml"), dir.resolve("test.yml"));
        Process p = promtool(dir, "test", "rules", "test.yml");
        String verdict = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(verdict).isZero();
        assertThat(verdict).contains("SUCCESS");
    }

    private static Process promtool(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        try {
            return new ProcessBuilder(command)
                    .directory(dir == null ? null : dir.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "promtool is missing: bin/host-setup --test-machine installs it (package prometheus)", e);
        }
    }

    private static List<JsonNode> documents(String out) {
        try (MappingIterator<JsonNode> it =
                new ObjectMapper().readerFor(JsonNode.class).readValues(out)) {
            return it.readAll();
        } catch (IOException e) {
            throw new AssertionError("not JSON documents: " + out, e);
        }
    }

    private CliRunner.Result cli(String line) {
        return CliRunner.runWithTiers(tiers, CliRunner.argv(line));
    }

    private static CliRunner.Result ok(CliRunner.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }
}
