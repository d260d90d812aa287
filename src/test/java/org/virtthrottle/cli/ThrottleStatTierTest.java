package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * throttlestat --tier without guests: the command line and the tier are checked before anything is
 * sampled, and a tier without a running member (libvirt's test driver: no daemon, no member) prints
 * its budget and a rate of 0.
 */
class ThrottleStatTierTest {
    private static final String TEST_DRIVER = "test:///default";

    @TempDir
    Path dir;

    private CliRunner.Result run(String commandLine) {
        return CliRunner.runWithTiersOn(TEST_DRIVER, dir.resolve("tiers.yaml"), CliRunner.argv(commandLine));
    }

    @BeforeEach
    void gold() {
        CliRunner.Result r = run("throttletierset gold --total-iops-sec 3000 --read-bytes-sec 200M");
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    @Test
    void badInputGetsOneLineAndSamplesNothing() {
        String usage = "error: --tier takes no DOMAIN, GROUP, --all or --disks: it shows the tier's member groups "
                + "in every running domain\n";
        String[][] cases = {
            {"1", "error: tier 'nope' not found\n", "throttlestat --tier nope"},
            {"1", "error: tier 'nope' not found\n", "throttlestat --tier nope --prometheus"},
            {"2", usage, "throttlestat test --tier gold"},
            {"2", usage, "throttlestat --all --tier gold"},
            {"2", usage, "throttlestat --disks --tier gold"},
            {
                "2",
                "error: --prometheus --tier takes one sample: no --count\n",
                "throttlestat --prometheus --tier gold --count 2"
            },
            {
                "2",
                "error: invalid --interval '0': give the seconds between samples, more than 0 and at most 86400\n",
                "throttlestat --tier nope --interval 0"
            },
            {
                "2",
                "error: invalid --count '0': give the number of samples, 1 or more\n",
                "throttlestat --tier gold --count 0"
            },
        };
        for (String[] c : cases) {
            long start = System.nanoTime();
            CliRunner.Result r = run(c[2]);
            assertThat(r.exitCode()).as(c[2] + ": " + r).isEqualTo(Integer.parseInt(c[0]));
            assertThat(r.err()).as(c[2] + ": " + r).isEqualTo(c[1]);
            assertThat(r.out()).as(c[2] + ": " + r).isBlank();
            assertThat((System.nanoTime() - start) / 1e9)
                    .as(c[2] + ": no sample taken")
                    .isLessThan(0.9);
        }
    }

    @Test
    void aTierWithoutRunningMemberShowsItsBudgetAndNoRate() {
        CliRunner.Result r = run("throttlestat --tier gold --interval 0.2 --count 2");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .containsPattern("(?m)^tier gold: 0\\.[0-9]{2} s to \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$");
        assertThat(r.out())
                .contains(" Limit            Budget        Rate       Use                            Members\n")
                .contains(" read_bytes_sec   200.0 MiB/s   0 B/s         0% [....................]   0\n")
                .contains(" total_iops_sec   3.0k IOPS     0.0 IOPS      0% [....................]   0\n")
                .contains("tier gold: no running member\n");
        assertThat(r.out().split("tier gold: no running member", -1)).hasSize(3);
    }

    @Test
    void jsonOneDocumentPerSample() throws IOException {
        CliRunner.Result r = run("--json throttlestat --tier gold --interval 0.1 --count 2");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<JsonNode> docs;
        try (MappingIterator<JsonNode> it =
                new ObjectMapper().readerFor(JsonNode.class).readValues(r.out())) {
            docs = it.readAll();
        }
        assertThat(docs).hasSize(2);
        JsonNode d = docs.get(0);
        assertThat(d.fieldNames())
                .toIterable()
                .containsExactly("time", "interval_s", "tier", "seconds", "rates", "members", "notes");
        assertThat(d.path("interval_s").asDouble()).isEqualTo(0.1);
        assertThat(d.path("rates").get(1).toString())
                .isEqualTo("{\"limit\":\"total_iops_sec\",\"budget\":3000,\"rate\":0.0,\"percent\":0.0}");
        assertThat(d.path("members")).isEmpty();
    }

    @Test
    void prometheusOneSampleOfTheTier() {
        CliRunner.Result r = run("throttlestat --prometheus --tier gold --interval 0.1");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("virt_throttle_tier_budget{tier=\"gold\",rate=\"total_iops_sec\"} 3000\n")
                .contains("virt_throttle_tier_rate{tier=\"gold\",rate=\"read_bytes_sec\"} 0\n")
                .contains("# TYPE virt_throttle_tier_member_share gauge\n");
    }
}
