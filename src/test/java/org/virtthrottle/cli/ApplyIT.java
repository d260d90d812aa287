package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.virtthrottle.qmp.QmpTransport;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestGuest.Disk;

/** apply -f and export on two running guests, read back with raw QMP and the domain XML; in order, each test from the state the last left. */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApplyIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> READS = Set.of(
            "qom-list",
            "qom-get",
            "query-named-block-nodes",
            "x-debug-query-block-graph",
            "query-block",
            "query-iothreads");

    @RegisterExtension
    static final ClassGuest<TestGuest> WEB = ClassGuest.startedBy(
            () -> TestGuest.start(new Disk("vda", "virtio", "qcow2"), new Disk("sda", "scsi", "qcow2")));

    @RegisterExtension
    static final ClassGuest<TestGuest> DB =
            ClassGuest.startedBy(() -> TestGuest.start(new Disk("vda", "virtio", "qcow2")));

    @TempDir
    static Path dir;

    private final TestGuest web = WEB.guest();
    private final TestGuest db = DB.guest();

    private String file(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Both guests: web's sda behind perdisk then tenant, vda behind tenant; db's vda behind its own group. */
    private String desired(String tenantLimit) {
        return "domains:\n"
                + "  " + web.name() + ":\n"
                + "    groups:\n"
                + "      perdisk: {total_iops_sec: 300}\n"
                + "      tenant:\n"
                + "        read_bytes_sec: " + tenantLimit + "\n"
                + "        write-bytes-sec: 5M\n"
                + "    disks:\n"
                + "      sda: [perdisk, tenant]\n"
                + "      vda: [tenant]\n"
                + "  " + db.name() + ":\n"
                + "    groups:\n"
                + "      dbdisk: {total_iops_sec: 50}\n"
                + "    disks:\n"
                + "      vda: [dbdisk]\n";
    }

    /** Runs the command recording the name of every QMP command it sends. */
    private static CliRunner.Result counting(List<String> sent, String... args) {
        UnaryOperator<QmpTransport> counter = transport -> command -> {
            sent.add(command.replaceAll(".*\"execute\":\"([^\"]+)\".*", "$1"));
            return transport.send(command);
        };
        return CliRunner.run(counter, args);
    }

    private static JsonNode ok(CliRunner.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        try {
            return r.out().startsWith("{") ? JSON.readTree(r.out()) : null;
        } catch (IOException e) {
            throw new AssertionError(r.toString(), e);
        }
    }

    /** What both guests have live (raw QMP) and in both XMLs: unchanged means nothing was sent or written. */
    private List<Object> everything() {
        List<Object> state = new ArrayList<>();
        for (TestGuest g : List.of(web, db)) {
            state.add(g.liveXml());
            state.add(g.inactiveXml());
            state.add(g.chainUnder(g.aliasOf("vda")));
            for (String group : g.throttleGroupObjects()) {
                state.add(group + "=" + g.qomLimits(group));
            }
        }
        state.add(web.chainUnder(web.aliasOf("sda")));
        return state;
    }

    @Test
    @Order(1)
    void theFirstApplyBuildsLiveAndConfigTheSecondSendsNothingChanging() {
        String f = file("both.yaml", desired("10M"));

        JsonNode first = ok(CliRunner.run("--json", "apply", "-f", f));

        assertThat(first.path("changed").asBoolean()).as(first.toString()).isTrue();
        assertThat(first.path("domains").get(0).path("changes").toString())
                .contains(
                        "live: created throttle group perdisk",
                        "live: set the throttle filters of sda to perdisk,tenant",
                        "config: set the throttle filters of vda to tenant");
        assertThat(web.chainUnder(web.aliasOf("sda")))
                .containsExactly("throttle(throttle-tenant)", "throttle(throttle-perdisk)", "qcow2", "file");
        assertThat(web.chainUnder(web.aliasOf("vda"))).containsExactly("throttle(throttle-tenant)", "qcow2", "file");
        assertThat(db.chainUnder(db.aliasOf("vda"))).containsExactly("throttle(throttle-dbdisk)", "qcow2", "file");
        assertThat(web.qomLimits("throttle-tenant").path("bps-read").asLong()).isEqualTo(10_485_760L);
        assertThat(web.qomLimits("throttle-tenant").path("bps-write").asLong()).isEqualTo(5_242_880L);
        assertThat(web.qomLimits("throttle-perdisk").path("iops-total").asLong())
                .isEqualTo(300);
        assertThat(web.inactiveXml())
                .contains(
                        "<vt:throttlefilter group=\"perdisk\"/>",
                        "<vt:total_iops_sec>300</vt:total_iops_sec>",
                        "<vt:read_bytes_sec>10485760</vt:read_bytes_sec>");
        assertThat(db.inactiveXml()).contains("<vt:group_name>dbdisk</vt:group_name>");

        List<Object> before = everything();
        List<String> sent = new ArrayList<>();
        JsonNode second = ok(counting(sent, "--json", "apply", "-f", f));

        assertThat(second.path("changed").asBoolean()).as(second.toString()).isFalse();
        assertThat(second.path("domains").findValues("changed")).allMatch(c -> !c.asBoolean());
        assertThat(sent).as("the second run only reads").isNotEmpty().allMatch(READS::contains);
        assertThat(everything()).isEqualTo(before);
        assertThat(web.isActive()).isTrue();
        assertThat(db.isActive()).isTrue();
    }

    @Test
    @Order(2)
    void whatExportPrintsAppliesWithoutAChangeInYamlAndJson() {
        CliRunner.Result yaml = CliRunner.run("export", web.name(), db.name());
        ok(yaml);
        assertThat(yaml.out())
                .startsWith(
                        "domains:\n  " + web.name() + ":\n    groups:\n      perdisk:\n        total_iops_sec: 300\n");
        CliRunner.Result json = CliRunner.run("--json", "export", web.name());
        JsonNode exported = ok(json);
        assertThat(exported.path("domains")
                        .path(web.name())
                        .path("disks")
                        .path("sda")
                        .toString())
                .isEqualTo("[\"perdisk\",\"tenant\"]");

        List<Object> before = everything();
        for (String f : List.of(file("exported.yaml", yaml.out()), file("exported.json", json.out()))) {
            List<String> sent = new ArrayList<>();
            CliRunner.Result r = counting(sent, "apply", "-f", f, "--prune");
            ok(r);
            assertThat(r.out())
                    .isEqualTo(web.name() + ": unchanged\n" + (f.endsWith(".yaml") ? db.name() + ": unchanged\n" : "")
                            + "\n");
            assertThat(sent).allMatch(READS::contains);
        }
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void dryRunSaysWhatWouldChangeAndChangesNothing() {
        String f = file("changed.yaml", desired("20M"));
        List<Object> before = everything();
        List<String> sent = new ArrayList<>();

        JsonNode r = ok(counting(sent, "--json", "apply", "-f", f, "--dry-run"));

        assertThat(r.path("changed").asBoolean()).isTrue();
        assertThat(r.path("dry_run").asBoolean()).isTrue();
        assertThat(r.path("domains").get(0).path("changes").toString())
                .contains("live: set limits of throttle group tenant", "config: set limits of throttle group tenant");
        assertThat(r.path("domains").get(0).path("plan").toString())
                .contains("set limits of throttle-tenant", "record in live and config metadata");
        assertThat(r.path("domains").get(1).path("changed").asBoolean()).isFalse();
        assertThat(sent).allMatch(READS::contains);

        CliRunner.Result onlyWeb = CliRunner.run("apply", "-f", f, "--dry-run", web.name());
        ok(onlyWeb);
        assertThat(onlyWeb.out())
                .startsWith(web.name() + ": would: live: set limits of throttle group tenant\n")
                .doesNotContain(db.name());
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    @Order(4)
    void aMistakeInTheSecondDomainChangesNothingOnEither() {
        List<Object> before = everything();
        String missingDisk =
                file("missing-disk.yaml", desired("20M").replace("      vda: [dbdisk]", "      vdq: [dbdisk]"));
        String unknownLimit =
                file("unknown-limit.yaml", desired("20M").replace("dbdisk: {total_iops_sec", "dbdisk: {total-iop-sec"));
        String missingGroup = file("missing-group.yaml", desired("20M").replace("[dbdisk]", "[dbdisk, nosuch]"));

        CliRunner.Result disk = CliRunner.run("apply", "-f", missingDisk);
        CliRunner.Result limit = CliRunner.run("apply", "-f", unknownLimit);
        CliRunner.Result group = CliRunner.run("apply", "-f", missingGroup, "--config");
        String noSuchDomain =
                file("no-such-domain.yaml", desired("20M") + "  vt-it-nosuch:\n    groups:\n      g: {}\n");
        CliRunner.Result domain = CliRunner.run("apply", "-f", noSuchDomain);

        assertThat(disk.exitCode()).isEqualTo(1);
        assertThat(disk.err())
                .isEqualTo("error: " + missingDisk + " line 15: domains." + db.name()
                        + ".disks.vdq: No disk found whose target is vdq in the running domain\n");
        assertThat(limit.exitCode()).isEqualTo(1);
        assertThat(limit.err())
                .isEqualTo("error: " + unknownLimit + " line 13: domains." + db.name()
                        + ".groups.dbdisk: unknown limit 'total-iop-sec'\n");
        assertThat(group.exitCode()).isEqualTo(1);
        assertThat(group.err())
                .isEqualTo(
                        "error: " + missingGroup + " line 15: domains." + db.name()
                                + ".disks.vda: the throttle filters of vda use group 'nosuch', which the config would not have\n");
        assertThat(domain.exitCode()).isEqualTo(1);
        assertThat(domain.err())
                .startsWith("error: ")
                .contains("'vt-it-nosuch'")
                .doesNotContain("\n ");
        assertThat(disk.out() + limit.out() + group.out() + domain.out()).isBlank();
        assertThat(everything()).isEqualTo(before);
        assertThat(web.isActive()).isTrue();
    }

    @Test
    @Order(5)
    void pruneDeletesWhatTheFileDoesNotNameLiveAndInTheConfig() {
        String f = file(
                "pruned.yaml",
                "domains:\n  " + web.name() + ":\n    groups:\n      perdisk: {total_iops_sec: 300}\n"
                        + "    disks:\n      sda: [perdisk]\n");

        CliRunner.Result kept = CliRunner.run("apply", "-f", f);
        ok(kept);
        assertThat(kept.out()).contains(web.name() + ": live: set the throttle filters of sda to perdisk");
        assertThat(web.throttleGroupObjects()).contains("throttle-tenant");
        assertThat(web.chainUnder(web.aliasOf("vda"))).containsExactly("throttle(throttle-tenant)", "qcow2", "file");

        CliRunner.Result pruned = CliRunner.run("apply", "-f", f, "--prune");
        ok(pruned);

        assertThat(pruned.out())
                .contains(
                        web.name() + ": live: removed the throttle filters of vda",
                        web.name() + ": live: deleted throttle group tenant",
                        web.name() + ": config: deleted throttle group tenant");
        assertThat(web.throttleGroupObjects()).containsExactly("throttle-perdisk");
        assertThat(web.chainUnder(web.aliasOf("vda"))).containsExactly("qcow2", "file");
        assertThat(web.chainUnder(web.aliasOf("sda"))).containsExactly("throttle(throttle-perdisk)", "qcow2", "file");
        assertThat(web.inactiveXml()).doesNotContain("tenant");
        assertThat(web.state().blockNodes()).noneMatch(n -> n.startsWith("vtp-"));
        assertThat(db.throttleGroupObjects())
                .as("the other domain, not in this file, is untouched")
                .containsExactly("throttle-dbdisk");
        assertThat(CliRunner.run("apply", "-f", f, "--prune").out()).isEqualTo(web.name() + ": unchanged\n\n");
        assertThat(web.isActive()).isTrue();
    }
}
