package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.GuestState;
import org.virtthrottle.testing.TestGuest;
import org.xmlunit.assertj3.XmlAssert;

/** The four group commands against a real libvirtd and a running QEMU, read back with raw QMP. */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThrottleGroupCommandsIT {
    private static final Map<String, String> NS = Map.of("vt", "http://virt-throttle.org/xmlns/throttle/1.0");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ClassGuest<TestGuest> GUEST = ClassGuest.startedBy(() -> TestGuest.start());

    private final TestGuest guest = GUEST.guest();
    private final String dom = guest.name();

    private static String groupXPath(String group, String field) {
        return "/domain/metadata/vt:throttle/vt:throttlegroups/vt:throttlegroup[vt:group_name='" + group + "']/vt:"
                + field;
    }

    @Test
    void setLiveAndConfigCreatesTheQemuObjectAndRecordsBothSides() {
        CliRunner.Result r =
                CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " g1 --total-iops-sec 200 --live --config"));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("Throttle group set successfully\n\n");
        JsonNode limits = guest.qomLimits("throttle-g1");
        assertThat(limits.get("iops-total").asLong()).isEqualTo(200);
        assertThat(limits.get("bps-total").asLong()).isZero();
        XmlAssert.assertThat(guest.inactiveXml())
                .withNamespaceContext(NS)
                .valueByXPath(groupXPath("g1", "total_iops_sec"))
                .isEqualTo("200");
        XmlAssert.assertThat(guest.liveXml())
                .withNamespaceContext(NS)
                .valueByXPath(groupXPath("g1", "total_iops_sec"))
                .isEqualTo("200");
        assertThat(CliRunner.run("throttlegroupinfo", dom, "g1").out()).isEqualTo("total_iops_sec : 200\n\n");
        assertThat(CliRunner.run("throttlegroupinfo", dom, "g1", "--inactive").out())
                .isEqualTo("total_iops_sec : 200\n\n");
        assertThat(CliRunner.run("domthrottlegrouplist", dom).out()).contains("\n g1\n");
    }

    @Test
    void liveUpdateMergesByFamilyAndInfoReadsQemuBack() {
        assertThat(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " m --total-iops-sec 5 --live"))
                        .exitCode())
                .isZero();
        assertThat(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " m --read-bytes-sec 4K --live"))
                        .exitCode())
                .isZero();

        JsonNode limits = guest.qomLimits("throttle-m");
        assertThat(limits.get("iops-total").asLong()).isEqualTo(5);
        assertThat(limits.get("bps-read").asLong()).isEqualTo(4096);
        assertThat(CliRunner.run("throttlegroupinfo", dom, "m").out())
                .isEqualTo("read_bytes_sec : 4096\ntotal_iops_sec : 5\n\n");

        // giving read iops replaces the iops family: total goes, read comes
        assertThat(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " m --read-iops-sec 7 --live"))
                        .exitCode())
                .isZero();
        limits = guest.qomLimits("throttle-m");
        assertThat(limits.get("iops-total").asLong()).isZero();
        assertThat(limits.get("iops-read").asLong()).isEqualTo(7);
        assertThat(limits.get("bps-read").asLong()).isEqualTo(4096);

        // and an explicit 0 clears
        assertThat(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " m --read-iops-sec 0 --live"))
                        .exitCode())
                .isZero();
        assertThat(guest.qomLimits("throttle-m").get("iops-read").asLong()).isZero();
    }

    @Test
    void burstSettingsReachQemuAndReadBackInUpstreamFormat() {
        CliRunner.Result r = CliRunner.run(
                CliRunner.argv(
                        "throttlegroupset " + dom
                                + " burst --total-iops-sec 100 --total-iops-sec-max 200 --total-iops-sec-max-length 10 --size-iops-sec 4096 --write-bytes-sec 1M --live"));
        assertThat(r.exitCode()).as(r.toString()).isZero();

        JsonNode limits = guest.qomLimits("throttle-burst");
        assertThat(limits.get("iops-total-max").asLong()).isEqualTo(200);
        assertThat(limits.get("iops-total-max-length").asLong()).isEqualTo(10);
        assertThat(limits.get("iops-size").asLong()).isEqualTo(4096);
        assertThat(limits.get("bps-write").asLong()).isEqualTo(1048576);
        assertThat(CliRunner.run("throttlegroupinfo", dom, "burst").out())
                .isEqualTo("write_bytes_sec: 1048576\n"
                        + "total_iops_sec : 100\n"
                        + "total_iops_sec_max: 200\n"
                        + "size_iops_sec  : 4096\n"
                        + "total_iops_sec_max_length: 10\n\n");
    }

    @Test
    void underscoreSpellingsOfTheLimitOptionsWork() {
        CliRunner.Result r = CliRunner.run(
                CliRunner.argv("throttlegroupset " + dom + " us --write_bytes_sec 2M --total_iops_sec 70 --live"));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode limits = guest.qomLimits("throttle-us");
        assertThat(limits.get("bps-write").asLong()).isEqualTo(2097152);
        assertThat(limits.get("iops-total").asLong()).isEqualTo(70);
    }

    @Test
    void configOnlyChangeLeavesQemuAlone() {
        CliRunner.Result r =
                CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " cfg --total-iops-sec 1000 --config"));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(guest.throttleGroupObjects()).doesNotContain("throttle-cfg");
        assertThat(CliRunner.run("throttlegrouplist", dom, "--inactive").out()).contains("\n cfg\n");
        assertThat(CliRunner.run("throttlegrouplist", dom).out()).doesNotContain(" cfg\n");
        CliRunner.Result info = CliRunner.run("throttlegroupinfo", dom, "cfg");
        assertThat(info.exitCode()).isEqualTo(1);
        assertThat(info.err()).isEqualTo("error: throttle group 'cfg' not found in the running domain\n");
        assertThat(CliRunner.run("throttlegroupinfo", dom, "cfg", "--inactive").out())
                .isEqualTo("total_iops_sec : 1000\n\n");
    }

    @Test
    void currentMeansLiveOnARunningDomain() {
        assertThat(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " cur --total-iops-sec 3 --current"))
                        .exitCode())
                .isZero();

        assertThat(guest.qomLimits("throttle-cur").get("iops-total").asLong()).isEqualTo(3);
        assertThat(guest.inactiveXml()).doesNotContain(">cur<");
    }

    @Test
    void deleteIsRefusedWhileALiveDiskUsesTheGroupAndWorksAfterwards() {
        assertThat(CliRunner.run(
                                CliRunner.argv("throttlegroupset " + dom + " used --total-iops-sec 50 --live --config"))
                        .exitCode())
                .isZero();
        String format = spliceRawThrottleNode("it-used", "throttle-used");
        try {
            GuestState before = guest.state();
            CliRunner.Result r = CliRunner.run("throttlegroupdel", dom, "used", "--live");

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err())
                    .isEqualTo("error: invalid argument: throttle group 'used' is still being used by disk vda\n");
            assertThat(guest.state()).isEqualTo(before);
        } finally {
            unspliceRawThrottleNode("it-used", format);
        }

        CliRunner.Result r = CliRunner.run("throttlegroupdel", dom, "used", "--live", "--config");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("Throttle group deleted successfully\n\n");
        assertThat(guest.throttleGroupObjects()).doesNotContain("throttle-used");
        assertThat(guest.liveXml()).doesNotContain(">used<");
        assertThat(guest.inactiveXml()).doesNotContain(">used<");
    }

    @Test
    void deleteIsRefusedWhileAConfigDiskChainUsesTheGroup() {
        GuestState original = guest.state();
        guest.setThrottleMetadata(
                "<throttle><throttlegroups><throttlegroup><total_iops_sec>9</total_iops_sec>"
                        + "<group_name>chained</group_name></throttlegroup></throttlegroups><devices><disk><target dev='vda'/>"
                        + "<throttlefilters><throttlefilter group='chained'/></throttlefilters></disk></devices></throttle>",
                false);
        try {
            GuestState before = guest.state();
            CliRunner.Result r = CliRunner.run("throttlegroupdel", dom, "chained", "--config");

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err())
                    .isEqualTo("error: invalid argument: throttle group 'chained' is still being used by disk vda\n");
            assertThat(guest.state()).isEqualTo(before);
        } finally {
            restoreConfigMetadata(original);
        }
    }

    @Test
    void deletingAMissingGroupNamesItAndTheSide() {
        CliRunner.Result live = CliRunner.run("throttlegroupdel", dom, "nosuch", "--live");
        assertThat(live.exitCode()).isEqualTo(1);
        assertThat(live.err()).isEqualTo("error: throttle group 'nosuch' not found in the running domain\n");

        CliRunner.Result config = CliRunner.run("throttlegroupdel", dom, "nosuch", "--config");
        assertThat(config.exitCode()).isEqualTo(1);
        assertThat(config.err())
                .isEqualTo("error: throttle group 'nosuch' not found in the persistent configuration\n");
    }

    @Test
    void liveAndConfigDeleteChecksBothSidesBeforeChangingEither() {
        assertThat(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " onlycfg --total-iops-sec 1 --config"))
                        .exitCode())
                .isZero();
        GuestState before = guest.state();

        CliRunner.Result r = CliRunner.run("throttlegroupdel", dom, "onlycfg", "--live", "--config");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("'onlycfg' not found in the running domain");
        assertThat(guest.state()).isEqualTo(before);
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of(
                        List.of("throttlegroupset", "nosuchdomain-xyz", "g", "--total-iops-sec", "1"),
                        "failed to get domain 'nosuchdomain-xyz'"),
                Arguments.of(
                        List.of("throttlegroupset", "DOM", "b", "--total-iops-sec", "-1", "--live"),
                        "Numeric value '-1' for <total-iops-sec> option is malformed"),
                Arguments.of(
                        List.of("throttlegroupset", "DOM", "b", "--total-iops-sec", "abc", "--live"),
                        "Numeric value 'abc'"),
                Arguments.of(
                        List.of("throttlegroupset", "DOM", "b", "--total-bytes-sec", "1e16", "--live"),
                        "Scaled numeric value '1e16'"),
                Arguments.of(
                        List.of("throttlegroupset", "DOM", "b", "--total-bytes-sec", "1000000000000001", "--live"),
                        "must be no more than 1000000000000000"),
                Arguments.of(
                        List.of(
                                "throttlegroupset",
                                "DOM",
                                "b",
                                "--total-bytes-sec",
                                "18446744073709551616",
                                "--live",
                                "--config"),
                        "must be no more than 1000000000000000"),
                Arguments.of(
                        List.of("throttlegroupset", "DOM", "b", "--total-bytes-sec", "10X", "--live"),
                        "Scaled numeric value '10X'"),
                Arguments.of(
                        List.of("throttlegroupset", "DOM", "b", "--total-iops-sec", "10K", "--live"),
                        "Numeric value '10K'"),
                Arguments.of(
                        List.of(
                                "throttlegroupset",
                                "DOM",
                                "b",
                                "--total-bytes-sec",
                                "1000",
                                "--read-bytes-sec",
                                "500",
                                "--live",
                                "--config"),
                        "total and read/write of bytes_sec cannot be set at the same time"),
                Arguments.of(
                        List.of(
                                "throttlegroupset",
                                "DOM",
                                "b",
                                "--total-iops-sec",
                                "100",
                                "--total-iops-sec-max",
                                "50",
                                "--live"),
                        "value 'total_iops_sec_max' cannot be smaller than 'total_iops_sec'"),
                Arguments.of(
                        List.of("throttlegroupset", "DOM", "b", "--total-iops-sec-max", "100", "--live"),
                        "cannot reset 'total_iops_sec' when 'total_iops_sec_max' is set"),
                Arguments.of(
                        List.of(
                                "throttlegroupset",
                                "DOM",
                                "b",
                                "--total-iops-sec",
                                "100",
                                "--total-iops-sec-max-length",
                                "5",
                                "--config"),
                        "'total_iops_sec_max_length' requires 'total_iops_sec_max'"),
                Arguments.of(
                        List.of(
                                "throttlegroupset",
                                "DOM",
                                "b",
                                "--total-iops-sec",
                                "1",
                                "--total-iops-sec-max",
                                "2",
                                "--total-iops-sec-max-length",
                                "0",
                                "--live"),
                        "'total_iops_sec_max_length' must be at least 1"),
                Arguments.of(
                        List.of("throttlegroupset", "DOM", "b", "--size-iops-sec", "4096", "--live"),
                        "'size_iops_sec' requires one of"),
                Arguments.of(
                        List.of(
                                "throttlegroupset",
                                "DOM",
                                "b",
                                "--total-iops-sec",
                                "1",
                                "--total-iops-sec-max",
                                "2",
                                "--total-iops-sec-max-length",
                                "4294967296",
                                "--config"),
                        "'total_iops_sec_max_length' must be no more than 4294967295"),
                Arguments.of(
                        List.of(
                                "throttlegroupset",
                                "DOM",
                                "b",
                                "--read-bytes-sec",
                                "1",
                                "--read-bytes-sec-max",
                                "1",
                                "--read-bytes-sec-max-length",
                                "999999999999999",
                                "--live",
                                "--config"),
                        "'read_bytes_sec_max_length' must be no more than 4294967295"),
                Arguments.of(
                        List.of("throttlegroupset", "DOM", "", "--total-iops-sec", "1", "--config"),
                        "Failed to get option 'group-name': Option argument is empty"),
                Arguments.of(
                        List.of("throttlegroupset", "DOM", "x,y", "--total-iops-sec", "1", "--live"),
                        "cannot be used live"),
                Arguments.of(
                        List.of("throttlegroupset", "DOM", "q\"uote", "--total-iops-sec", "1", "--live", "--config"),
                        "cannot be used live"),
                Arguments.of(
                        List.of("throttlegroupset", "DOM", "it's", "--total-iops-sec", "1", "--live"),
                        "cannot be used live"),
                Arguments.of(
                        List.of("throttlegroupset", "DOM", "<lt", "--total-iops-sec", "1", "--live"),
                        "cannot be used live"),
                Arguments.of(
                        List.of("throttlegroupset", "DOM", "&amp", "--total-iops-sec", "1", "--live"),
                        "cannot be used live"),
                Arguments.of(
                        List.of("throttlegroupset", "DOM", "sp ace", "--total-iops-sec", "1", "--live"),
                        "cannot be used live"),
                Arguments.of(
                        List.of("throttlegroupset", "DOM", "b", "--total-iops-sec", "1", "--live", "--current"),
                        "Options --current and --live are mutually exclusive"),
                Arguments.of(
                        List.of("-r", "throttlegroupset", "DOM", "b", "--total-iops-sec", "1", "--live"),
                        "read-only connection"),
                Arguments.of(
                        List.of("--readonly", "throttlegroupdel", "DOM", "g1", "--config"), "read-only connection"),
                Arguments.of(
                        List.of("throttlegroupset", "DOM", "b", "--no-such-option", "1"),
                        "command 'throttlegroupset' doesn't support option --no-such-option"),
                Arguments.of(
                        List.of("throttlegroupinfo", "DOM", "nosuch"),
                        "throttle group 'nosuch' not found in the running domain"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputGivesAClearErrorAndChangesNothing(List<String> args, String expectedError) {
        List<String> argv = new ArrayList<>(args);
        argv.replaceAll(a -> a.equals("DOM") ? dom : a);
        GuestState before = guest.state();

        CliRunner.Result r = CliRunner.run(argv.toArray(String[]::new));

        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.err()).as(r.toString()).startsWith("error: ").contains(expectedError);
        // virsh's words: one line, or its heading and libvirt's line, or a parse error and its trailer
        assertThat(r.err().lines().toList())
                .as(r.toString())
                .hasSizeBetween(1, 2)
                .allMatch(line -> line.startsWith("error: "));
        assertThat(guest.state()).isEqualTo(before);
    }

    @Test
    void namesThatCouldNeverBeUsedLiveAreRefusedForTheConfigToo() {
        for (String name : List.of("a,b", "q\"uote", "it's", "<lt", "&amp", "sp ace", "a,b </x>&")) {
            GuestState before = guest.state();
            CliRunner.Result r = CliRunner.run(
                    "throttlegroupset",
                    dom,
                    name,
                    "--total-iops-sec",
                    "1",
                    "--config"); // names with blanks: not argv()
            assertThat(r.exitCode()).as(name + ": " + r).isEqualTo(1);
            assertThat(r.err())
                    .isEqualTo("error: Unable to set throttle group\nerror: throttle group name '" + name
                            + "' cannot be used live: QEMU object id 'throttle-" + name
                            + "' may only contain letters, digits, '-', '.' and '_'\n");
            assertThat(guest.state()).isEqualTo(before);
        }
    }

    @Test
    void aConfigGroupWithSuchANameFromElsewhereCanStillBeReadAndDeleted() {
        String name = "a,b </x>&";
        String escaped = "a,b &lt;/x&gt;&amp;";
        guest.setThrottleMetadata(
                "<throttle><throttlegroups><throttlegroup><total_iops_sec>3</total_iops_sec>" + "<group_name>" + escaped
                        + "</group_name></throttlegroup></throttlegroups></throttle>",
                false);

        assertThat(CliRunner.run("throttlegrouplist", dom, "--inactive").out()).contains("\n " + name + "\n");
        assertThat(CliRunner.run("throttlegroupinfo", dom, name, "--inactive").out())
                .isEqualTo("total_iops_sec : 3\n\n");
        CliRunner.Result del = CliRunner.run("throttlegroupdel", dom, name, "--config");
        assertThat(del.exitCode()).as(del.toString()).isZero();
        assertThat(CliRunner.run("throttlegrouplist", dom, "--inactive").out()).doesNotContain(name);
    }

    @Test
    void aLongNameOfIdentifierCharactersWorksLive() {
        String name = "L".repeat(100);
        CliRunner.Result r =
                CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " " + name + " --total-iops-sec 1 --live"));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(guest.throttleGroupObjects()).contains("throttle-" + name);
        String list = CliRunner.run("throttlegrouplist", dom).out();
        assertThat(list).contains("\n " + name + "\n").contains("-".repeat(103) + "\n");
    }

    @Test
    void aShutOffDomainRefusesLiveAndUsesConfigForCurrent() {
        try (TestGuest off = TestGuest.define()) {
            GuestState before = off.state();
            CliRunner.Result live =
                    CliRunner.run(CliRunner.argv("throttlegroupset " + off.name() + " x --total-iops-sec 10 --live"));
            assertThat(live.exitCode()).isEqualTo(1);
            assertThat(live.err())
                    .isEqualTo("error: Unable to set throttle group\n"
                            + "error: Requested operation is not valid: domain is not running\n");
            assertThat(off.state()).isEqualTo(before);

            assertThat(CliRunner.run(CliRunner.argv(
                                    "throttlegroupset " + off.name() + " x --total-iops-sec 10 --current"))
                            .exitCode())
                    .isZero();
            assertThat(CliRunner.run("throttlegroupset", off.name(), "y", "--read-bytes-sec", "1K")
                            .exitCode())
                    .isZero();
            assertThat(CliRunner.run("throttlegrouplist", off.name()).out()).isEqualTo(" Name\n-------\n x\n y\n\n");
            assertThat(CliRunner.run("throttlegroupinfo", off.name(), "y").out())
                    .isEqualTo("read_bytes_sec : 1024\n\n");
            assertThat(CliRunner.run("throttlegroupdel", off.name(), "x").exitCode())
                    .isZero();
            assertThat(CliRunner.run("throttlegrouplist", off.name(), "--inactive")
                            .out())
                    .isEqualTo(" Name\n-------\n y\n\n");
        }
    }

    @Test
    void groupsSetForNextBootAreTheConfigOfTheNextRun() {
        try (TestGuest g = TestGuest.define()) {
            assertThat(CliRunner.run("throttlegroupset", g.name(), "boot", "--total-iops-sec", "10")
                            .exitCode())
                    .isZero();
            g.startDomain();
            // libvirt < 11.2 knows nothing of it: QEMU has no such object until it is re-applied
            assertThat(g.throttleGroupObjects()).doesNotContain("throttle-boot");
            assertThat(CliRunner.run("throttlegroupinfo", g.name(), "boot", "--inactive")
                            .out())
                    .isEqualTo("total_iops_sec : 10\n\n");
            assertThat(CliRunner.run(
                                    CliRunner.argv("throttlegroupset " + g.name() + " boot --read-bytes-sec 1M --live"))
                            .exitCode())
                    .isZero();
            JsonNode limits = g.qomLimits("throttle-boot");
            assertThat(limits.get("bps-read").asLong()).isEqualTo(1048576);
            // the live record started as a copy of the config, so the merge keeps total_iops_sec only if QEMU had it
            assertThat(limits.get("iops-total").asLong()).isZero();
        }
    }

    @Test
    void jsonOutputIsOneDocumentPerCommand() throws Exception {
        assertThat(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " js --write-iops-sec 12 --live"))
                        .exitCode())
                .isZero();

        JsonNode info = JSON.readTree(
                CliRunner.run("--json", "throttlegroupinfo", dom, "js").out());
        assertThat(info.get("group").asText()).isEqualTo("js");
        assertThat(info.get("source").asText()).isEqualTo("live");
        assertThat(info.get("limits").get("write_iops_sec").asLong()).isEqualTo(12);

        JsonNode list =
                JSON.readTree(CliRunner.run("throttlegrouplist", dom, "--json").out());
        assertThat(list.get("groups")).extracting(JsonNode::asText).contains("js");

        CliRunner.Result err = CliRunner.run("--json", "throttlegroupinfo", dom, "nope");
        assertThat(err.exitCode()).isEqualTo(1);
        assertThat(JSON.readTree(err.err()).get("error").asText())
                .isEqualTo("throttle group 'nope' not found in the running domain");
    }

    @Test
    void dryRunPrintsThePlanAndChangesNothing() {
        GuestState before = guest.state();

        CliRunner.Result r = CliRunner.run(
                CliRunner.argv("throttlegroupset " + dom + " dry --total-iops-sec 8 --live --config --dry-run"));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("1. record in live metadata", "2. create throttle group object throttle-dry")
                .contains(
                        "qmp {\"execute\":\"object-add\",\"arguments\":{\"qom-type\":\"throttle-group\",\"id\":\"throttle-dry\"")
                .contains("\"iops-total\":8")
                .contains("metadata --live")
                .contains("metadata --config")
                .contains("<total_iops_sec>8</total_iops_sec>");
        assertThat(guest.state()).isEqualTo(before);
    }

    @Test
    void debugShowsEveryQmpCommandAndLibvirtCall() {
        CliRunner.Result r =
                CliRunner.run(CliRunner.argv("--debug throttlegroupset " + dom + " dbg --total-iops-sec 4 --live"));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err())
                .contains("libvirt: virDomainLookupByName " + dom)
                .contains("qmp> {\"execute\":\"object-add\"")
                .contains("qmp< {\"return\":{}")
                .contains("libvirt: virDomainSetMetadata");
    }

    /** Puts a throttle node over vda's current root, by raw QMP, as another tool might; returns that root. */
    private String spliceRawThrottleNode(String node, String groupId) {
        JsonNode block = guest.qmp("{\"execute\":\"query-block\"}").get(0);
        String root = block.path("inserted").path("node-name").asText();
        String qdev = block.path("qdev").asText();
        guest.qmp("{\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"throttle\",\"node-name\":\"" + node
                + "\",\"throttle-group\":\"" + groupId + "\",\"file\":\"" + root + "\"}}");
        guest.qmp("{\"execute\":\"qom-set\",\"arguments\":{\"path\":\"" + qdev
                + "\",\"property\":\"drive\",\"value\":\"" + node + "\"}}");
        return root;
    }

    private void unspliceRawThrottleNode(String node, String root) {
        String qdev =
                guest.qmp("{\"execute\":\"query-block\"}").get(0).path("qdev").asText();
        guest.qmp("{\"execute\":\"qom-set\",\"arguments\":{\"path\":\"" + qdev
                + "\",\"property\":\"drive\",\"value\":\"" + root + "\"}}");
        guest.qmp("{\"execute\":\"blockdev-del\",\"arguments\":{\"node-name\":\"" + node + "\"}}");
    }

    private void restoreConfigMetadata(GuestState original) {
        String xml = original.inactiveXml();
        int start = xml.indexOf("<vt:throttle");
        if (start < 0) {
            guest.setThrottleMetadata(null, false);
        } else {
            int end = xml.indexOf("</vt:throttle>", start) + "</vt:throttle>".length();
            guest.setThrottleMetadata(
                    xml.substring(start, end)
                            .replaceAll("vt:", "")
                            .replace(" xmlns:vt=\"http://virt-throttle.org/xmlns/throttle/1.0\"", ""),
                    false);
        }
    }
}
