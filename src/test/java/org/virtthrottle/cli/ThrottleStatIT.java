package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.LinuxGuest;
import org.virtthrottle.testing.Promtool;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestHost;
import org.virtthrottle.testing.TestLauncher;

/**
 * throttlestat on a real Linux guest that reads its four data disks one after the other, 40 x 4 KiB
 * each, then rests 0.3 s. Every disk sits behind {@code disk,shared}: {@code disk} allows 100 IOPS,
 * {@code shared} 40, so the guest reads at {@code shared}'s cap but for its rest (0.3 s of 4.3 s;
 * with a single disk it would rest a quarter of the time), and {@code disk} sees the same I/O at
 * 40% of its limit. Nothing here changes QEMU but the
 * commands that set the scene and the unplug and restart the last tests make.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThrottleStatIT {
    /** Seconds per sample: a few of the guest's rounds, so that its rests average out. */
    private static final String INTERVAL = "4";

    @RegisterExtension
    static final ClassGuest<LinuxGuest> GUEST = ClassGuest.startedBy(() -> LinuxGuest.boot());

    private final LinuxGuest linux = GUEST.guest();
    private final String dom = linux.name();

    private static CliRunner.Result ok(CliRunner.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    @BeforeAll
    void threeDisksBehindDiskAndShared() {
        ok(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " disk --total-iops-sec 100 --live")));
        ok(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " shared --total-iops-sec 40 --live")));
        for (String[] disk : new String[][] {{"sda", "40M"}, {"sdb", "44M"}, {"sdc", "48M"}, {"sdd", "52M"}}) {
            String image = TestHost.createImage(dom + "-" + disk[0] + ".qcow2", "qcow2", disk[1])
                    .toString();
            ok(CliRunner.run(CliRunner.argv("attach-disk " + dom + " " + image + " " + disk[0]
                    + " --targetbus scsi --subdriver qcow2 --throttle-groups disk,shared --live")));
        }
    }

    @AfterEach
    void theGuestStillRuns() {
        assertThat(linux.guest().isActive()).as("guest still runs").isTrue();
    }

    private List<JsonNode> samples(String... args) {
        List<String> argv = new ArrayList<>(List.of("--json", "throttlestat", dom));
        argv.addAll(List.of(args));
        return documents(ok(CliRunner.run(argv.toArray(String[]::new))).out());
    }

    private static List<JsonNode> documents(String out) {
        try (MappingIterator<JsonNode> it = new com.fasterxml.jackson.databind.ObjectMapper()
                .readerFor(JsonNode.class)
                .readValues(out)) {
            return it.readAll();
        } catch (IOException e) {
            throw new AssertionError("not JSON documents: " + out, e);
        }
    }

    /** The sample's rate and percent of {@code group}'s total_iops_sec limit. */
    private static JsonNode iopsLimit(JsonNode sample, String group) {
        for (JsonNode g : sample.path("domains").get(0).path("groups")) {
            if (g.path("group").asText().equals(group)) {
                for (JsonNode l : g.path("limits")) {
                    if (l.path("limit").asText().equals("total_iops_sec")) {
                        return l;
                    }
                }
            }
        }
        throw new AssertionError("no total_iops_sec of " + group + " in " + sample.toPrettyString());
    }

    @Test
    @Order(1)
    void sharedIsAtItsCapAndDiskAtItsShareAsTheGuestSees() {
        long mark = linux.mark();
        JsonNode sample = samples("--interval", INTERVAL, "--count", "1").get(0);
        double guestRate = 40 / linux.readSeconds(48, mark);

        JsonNode shared = iopsLimit(sample, "shared");
        JsonNode disk = iopsLimit(sample, "disk");
        String seen = sample.toPrettyString() + "\nguest: " + guestRate + " IOPS while reading";
        assertThat(shared.path("value").asLong()).isEqualTo(40);
        assertThat(shared.path("rate").asDouble()).as(seen).isBetween(34.0, 46.0);
        assertThat(shared.path("percent").asDouble()).as(seen).isGreaterThanOrEqualTo(85.0);
        assertThat(disk.path("percent").asDouble()).as(seen).isBetween(30.0, 50.0);
        // the guest reads at the cap while it reads; the sample also holds its short rests
        assertThat(shared.path("rate").asDouble()).as(seen).isBetween(guestRate * 0.8, guestRate * 1.1);
        for (JsonNode g : sample.path("domains").get(0).path("groups")) {
            assertThat(g.path("disks"))
                    .as(seen)
                    .extracting(JsonNode::asText)
                    .containsExactly("sda", "sdb", "sdc", "sdd");
        }
        assertThat(sample.path("domains").get(0).path("notes")).isEmpty();
    }

    @Test
    @Order(2)
    void theTableShowsEachLimitWithItsRateShareAndDisks() {
        CliRunner.Result r = ok(CliRunner.run(
                CliRunner.argv("throttlestat " + dom + " shared --disks --interval " + INTERVAL + " --count 1")));
        Matcher row = Pattern.compile(
                        "(?m)^ shared +total_iops_sec +40\\.0 IOPS +([0-9.]+) IOPS +(\\d+)% \\[([#.+]+)\\] +sda,sdb,sdc,sdd$")
                .matcher(r.out());
        assertThat(row.find()).as(r.out()).isTrue();
        assertThat(Double.parseDouble(row.group(1))).as(r.out()).isBetween(34.0, 46.0);
        assertThat(row.group(3)).as(r.out()).startsWith("#################");
        assertThat(r.out()).as("only the group asked for").doesNotContain(" disk ");
        assertThat(r.out()).containsPattern("(?m)^ sda +disk,shared +[0-9.]+ IOPS +0\\.0 IOPS +[0-9.]+ KiB/s +0 B/s$");
    }

    @Test
    @Order(3)
    void withSharedRaisedLiveDiskIsTheCap() {
        ok(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " shared --total-iops-sec 400 --live")));
        try {
            JsonNode sample = samples("--interval", INTERVAL, "--count", "1").get(0);
            String seen = sample.toPrettyString();
            assertThat(iopsLimit(sample, "shared").path("value").asLong()).isEqualTo(400);
            assertThat(iopsLimit(sample, "disk").path("percent").asDouble())
                    .as(seen)
                    .isGreaterThanOrEqualTo(70.0);
            assertThat(iopsLimit(sample, "shared").path("percent").asDouble())
                    .as(seen)
                    .isLessThan(26.0);
        } finally {
            ok(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " shared --total-iops-sec 40 --live")));
        }
    }

    /** As iostat: an interval without a count samples until the process is stopped. */
    @Test
    @Order(4)
    void anIntervalAloneRepeatsUntilInterrupted() throws Exception {
        Path out = Files.createTempFile("throttlestat", ".json");
        Process stat = new ProcessBuilder(
                        TestLauncher.script().toString(),
                        "-c",
                        TestHost.URI,
                        "--json",
                        "throttlestat",
                        dom,
                        "--interval",
                        "1")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(out.toFile())
                .start();
        try {
            Thread.sleep(4_500);
            assertThat(stat.isAlive()).as("still sampling after 4.5 s").isTrue();
        } finally {
            stat.destroy();
        }
        assertThat(stat.waitFor(10, java.util.concurrent.TimeUnit.SECONDS))
                .as("stopped by SIGTERM")
                .isTrue();
        List<JsonNode> samples = documents(Files.readString(out));
        Files.delete(out);
        assertThat(samples.size()).as("one sample a second").isBetween(2, 5);
    }

    @Test
    @Order(4)
    void repeatedSamplesOnePerInterval() {
        List<JsonNode> samples = samples("--interval", "1", "--count", "3");
        assertThat(samples).hasSize(3);
        assertThat(samples).allSatisfy(s -> assertThat(
                        s.path("domains").get(0).path("seconds").asDouble())
                .isBetween(0.9, 1.5));

        // --all: every running domain with groups (other tests' domains too), ours with its four disks
        List<JsonNode> all =
                documents(ok(CliRunner.run("--json", "throttlestat", "--all")).out());
        assertThat(all).hasSize(1);
        JsonNode ours = null;
        for (JsonNode d : all.get(0).path("domains")) {
            assertThat(d.path("groups")).as(d.toPrettyString()).isNotEmpty();
            ours = d.path("domain").asText().equals(dom) ? d : ours;
        }
        assertThat(ours).as(all.get(0).toPrettyString()).isNotNull();
        assertThat(ours.path("disks"))
                .extracting(d -> d.path("target").asText())
                .containsExactly("sda", "sdb", "sdc", "sdd");

        CliRunner.Result text = ok(CliRunner.run(CliRunner.argv("throttlestat " + dom + " --interval 1 --count 3")));
        assertThat(Pattern.compile("(?m)^" + Pattern.quote(dom) + ": [0-9.]+ s to ")
                        .matcher(text.out())
                        .results()
                        .count())
                .as(text.out())
                .isEqualTo(3);
    }

    @Test
    @Order(5)
    void prometheusSnapshotPassesPromtoolAndHoldsTheMapping() throws Exception {
        CliRunner.Result r = ok(CliRunner.run("throttlestat", "--prometheus", dom));
        assertThat(Promtool.checkMetrics(r.out())).as(r.out()).isEmpty();

        String d = "domain=\"" + dom + "\"";
        assertThat(r.out())
                .contains(
                        "virt_throttle_group_limit{" + d + ",group=\"shared\",limit=\"total_iops_sec\"} 40\n",
                        "virt_throttle_group_limit{" + d + ",group=\"disk\",limit=\"total_iops_sec\"} 100\n",
                        "virt_throttle_disk_group_info{" + d + ",disk=\"sdb\",group=\"disk\",position=\"0\"} 1\n",
                        "virt_throttle_disk_group_info{" + d + ",disk=\"sdb\",group=\"shared\",position=\"1\"} 1\n");
        assertThat(r.out())
                .containsPattern(
                        "virt_throttle_disk_read_ops_total\\{" + Pattern.quote(d) + ",disk=\"sdc\"} [1-9]\\d*\n");
        assertThat(r.out())
                .as("only the domain named")
                .doesNotContainPattern("domain=\"(?!" + Pattern.quote(dom) + "\")");
    }

    /** docs/monitoring.md's PromQL for "% of group limit" gives the table's numbers on series as the snapshot has them. */
    @Test
    @Order(5)
    void theReadmesPromqlQueryGivesThePercentOfTheGroupLimit() throws Exception {
        Promtool.testFirstQuery(
                Path.of("docs", "monitoring.md"),
                Pattern.compile("```promql\n(.*?)```", Pattern.DOTALL),
                "```promql block",
                "virt_throttle:group_iops_limit_used:percent",
                Path.of("src/test/resources/promql/group-iops-percent-test.yml"));
    }

    @Test
    @Order(6)
    void badInputAndAShutOffDomainGetOneLineAndChangeNothing() {
        String xml = linux.guest().liveXml();
        try (TestGuest off = TestGuest.define()) {
            String[][] cases = {
                {"1", "error: throttle group 'nope' not found in the running domain '" + dom + "'", dom, "nope"},
                {"1", "error: domain '" + off.name() + "' is not running", off.name()},
                {
                    "2",
                    "error: invalid --interval '0': give the seconds between samples, more than 0 and at most 86400",
                    dom,
                    "--interval",
                    "0"
                },
                {
                    "2",
                    "error: invalid --interval '-1': give the seconds between samples, more than 0 and at most 86400",
                    dom,
                    "--interval",
                    "-1"
                },
                {"2", "error: expected syntax: --count <number>", dom, "--count"},
                {"2", "error: invalid --count '0': give the number of samples, 1 or more", dom, "--count", "0"},
                {"2", "error: give either DOMAIN or --all"},
            };
            for (String[] c : cases) {
                List<String> argv = new ArrayList<>(List.of("throttlestat"));
                argv.addAll(List.of(c).subList(2, c.length));
                CliRunner.Result r = CliRunner.run(argv.toArray(String[]::new));
                assertThat(r.exitCode()).as(r.toString()).isEqualTo(Integer.parseInt(c[0]));
                assertThat(r.err()).as(r.toString()).isEqualTo(c[1] + "\n");
                assertThat(r.out()).as(r.toString()).isBlank();
            }
            assertThat(off.isActive()).isFalse();
        }
        assertThat(linux.guest().liveXml()).isEqualTo(xml);
    }

    @Test
    @Order(7)
    void aDiskUnpluggedBetweenSamplesIsReportedNotMeasured() throws Exception {
        CompletableFuture<CliRunner.Result> stat = CompletableFuture.supplyAsync(
                () -> CliRunner.run(CliRunner.argv("--json throttlestat " + dom + " --interval 3 --count 3")));
        Thread.sleep(3500);
        ok(CliRunner.run("detach-disk", dom, "sdc", "--live"));
        List<JsonNode> samples = documents(ok(stat.get()).out());

        assertThat(samples).hasSize(3);
        String all = samples.toString();
        assertThat(all).contains("\"sdc: detached\"");
        assertNoNegativeOrAbsurdRate(samples);
        assertThat(linux.guest().liveXml()).doesNotContain("<target dev='sdc'");
    }

    @Test
    @Order(8)
    void aGuestRestartedBetweenSamplesShowsNoNegativeRate() throws Exception {
        CompletableFuture<CliRunner.Result> stat = CompletableFuture.supplyAsync(
                () -> CliRunner.run(CliRunner.argv("--json throttlestat " + dom + " --interval 3 --count 3")));
        Thread.sleep(3500);
        linux.guest().destroyDomain();
        linux.guest().startDomain();
        List<JsonNode> samples = documents(ok(stat.get()).out());

        assertThat(samples).hasSize(3);
        // destroy and start take about a second: the sample that spans them sees the new QEMU, or
        // (when they straddle two samples) the domain shut off, then started
        assertThat(samples.toString()).containsAnyOf("\"restarted\"", "\"shut off\"");
        assertNoNegativeOrAbsurdRate(samples);
    }

    /** No rate below 0, none above what the guest could do unthrottled (the disks hold 40-48 MiB). */
    private static void assertNoNegativeOrAbsurdRate(List<JsonNode> samples) {
        for (JsonNode s : samples) {
            for (JsonNode disk : s.path("domains").get(0).path("disks")) {
                for (String field : List.of("read_iops", "write_iops", "read_bytes_sec", "write_bytes_sec")) {
                    assertThat(disk.path(field).asDouble())
                            .as(s.toPrettyString())
                            .isBetween(0.0, 100.0 * 1024 * 1024);
                }
            }
            for (JsonNode g : s.path("domains").get(0).path("groups")) {
                for (JsonNode l : g.path("limits")) {
                    assertThat(l.path("rate").asDouble()).as(s.toPrettyString()).isBetween(0.0, 1000.0);
                }
            }
        }
    }
}
