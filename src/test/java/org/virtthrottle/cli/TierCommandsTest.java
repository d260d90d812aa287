package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tier commands end to end on a tiers file of the test's own: output, exit codes and the file. */
class TierCommandsTest {
    @TempDir
    Path dir;

    private CliRunner.Result run(String commandLine) {
        return CliRunner.runWithTiers(tiers(), CliRunner.argv(commandLine));
    }

    private Path tiers() {
        return dir.resolve("tiers.yaml");
    }

    private String fileText() throws IOException {
        return Files.readString(tiers());
    }

    @Test
    void setInfoListDelete() throws IOException {
        CliRunner.Result added = run("throttletierset gold --total-iops-sec 3000 --read-bytes-sec 10M");
        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(added.out()).isEqualTo("Tier added successfully\n\n");
        assertThat(fileText()).isEqualTo("tiers:\n  gold:\n    read_bytes_sec: 10485760\n    total_iops_sec: 3000\n");

        CliRunner.Result set = run("throttletierset gold --write-bytes-sec 5M");
        assertThat(set.out()).isEqualTo("Tier set successfully\n\n");
        assertThat(run("throttletierset silver --total_iops_sec 300").exitCode())
                .isZero();

        assertThat(run("throttletierinfo --tier gold").out())
                .isEqualTo("write_bytes_sec: 5242880\ntotal_iops_sec : 3000\n\n");
        assertThat(run("throttletierlist").out())
                .isEqualTo(" Name     Budget\n"
                        + "-".repeat(55) + "\n"
                        + " gold     write_bytes_sec=5242880 total_iops_sec=3000\n"
                        + " silver   total_iops_sec=300\n\n");

        CliRunner.Result deleted = run("throttletierdel gold");
        assertThat(deleted.out()).isEqualTo("Tier deleted successfully\n\n");
        assertThat(fileText()).isEqualTo("tiers:\n  silver:\n    total_iops_sec: 300\n");
    }

    @Test
    void jsonDocuments() {
        assertThat(run("--json throttletierset gold --total-iops-sec 3000").out())
                .isEqualTo("{\n  \"file\" : \"" + tiers() + "\",\n  \"tier\" : \"gold\",\n"
                        + "  \"budget\" : {\n    \"total_iops_sec\" : 3000\n  },\n"
                        + "  \"result\" : \"Tier added successfully\"\n}\n");
        assertThat(run("throttletierinfo --json gold").out())
                .isEqualTo("{\n  \"tier\" : \"gold\",\n  \"budget\" : {\n    \"total_iops_sec\" : 3000\n  },\n"
                        + "  \"members\" : [ ]\n}\n");
        assertThat(run("--json throttletierlist").out())
                .isEqualTo("{\n  \"tiers\" : [ {\n    \"tier\" : \"gold\",\n"
                        + "    \"budget\" : {\n      \"total_iops_sec\" : 3000\n    }\n  } ]\n}\n");
    }

    @Test
    void dryRunPrintsTheNewFileAndWritesNothing() throws IOException {
        run("throttletierset gold --total-iops-sec 3000");
        String before = fileText();
        CliRunner.Result set = run("throttletierset silver --total-iops-sec 300 --dry-run");
        assertThat(set.exitCode()).isZero();
        assertThat(set.out())
                .isEqualTo("would write " + tiers() + ":\ntiers:\n  gold:\n    total_iops_sec: 3000\n"
                        + "  silver:\n    total_iops_sec: 300\n\n");
        CliRunner.Result del = run("--dry-run throttletierdel gold");
        assertThat(del.out()).isEqualTo("would write " + tiers() + ":\ntiers: {}\n\n");
        assertThat(fileText()).isEqualTo(before);
    }

    @Test
    void badInputIsOneLineNonZeroAndChangesNothing() throws IOException {
        run("throttletierset gold --total-iops-sec 3000");
        String before = fileText();
        assertRefused(
                run("throttletierset gold --total-iops-sec-max 5000"),
                2,
                "error: command 'throttletierset' doesn't support option --total-iops-sec-max\n");
        assertRefused(
                run("throttletierset gold --total-iops-sec 0"),
                1,
                "error: tier 'gold' has no limit: give at least one rate\n");
        // virsh's two lines for a malformed number, as throttlegroupset prints them
        CliRunner.Result malformed = run("throttletierset gold --read-iops-sec x");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err())
                .isEqualTo("error: Numeric value 'x' for <read-iops-sec> option is malformed or out of range\n"
                        + "error: Unable to parse integer parameter\n");
        assertRefused(
                run("throttletierset .x --total-iops-sec 1"),
                1,
                "error: invalid tier name '.x': use 1-64 letters, digits, '_', '.' or '-', not starting with '.' or '-'\n");
        assertRefused(run("throttletierdel silver"), 1, "error: tier 'silver' not found\n");
        assertRefused(run("throttletierinfo silver"), 1, "error: tier 'silver' not found\n");
        assertThat(fileText()).isEqualTo(before);
    }

    @Test
    void anUnsafeFileIsRefusedByEveryCommand() throws IOException {
        run("throttletierset gold --total-iops-sec 3000");
        Files.setAttribute(tiers(), "unix:mode", 0666);
        String before = fileText();
        String error =
                "error: tiers file " + tiers() + " is writable by group or others (mode 666): refusing to use it\n";
        assertRefused(run("throttletierlist"), 1, error);
        assertRefused(run("throttletierinfo gold"), 1, error);
        assertRefused(run("throttletierset gold --total-iops-sec 1"), 1, error);
        assertRefused(run("throttletierdel gold"), 1, error);
        assertThat(fileText()).isEqualTo(before);
    }

    private static void assertRefused(CliRunner.Result result, int exitCode, String error) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
        assertThat(result.out()).as(result.toString()).isBlank();
        assertThat(result.err()).as(result.toString()).isEqualTo(error);
    }
}
