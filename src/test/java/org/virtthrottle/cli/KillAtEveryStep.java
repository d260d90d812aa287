package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.ParkedProcess;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestHost;

/**
 * Crash points: a change is run as its own virt-throttle process that parks after step k (see
 * {@link org.virtthrottle.testing.ParkingMain}) and is then killed with SIGKILL (or sees libvirtd
 * restarted under it), for k = 1 .. its number of steps; then {@code reconcile}. Afterwards QEMU's
 * graph, the live XML and the persistent XML are exactly what they were before the change or exactly
 * what the change makes of them, the guest runs, and a second reconcile finds nothing to do. Each
 * command prints one line of figures ("crash points | ..."), which README's Reliability table quotes.
 * Subclasses say on which guest: disks in the main loop, or in an IOThread.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KillAtEveryStep {
    /** Far more than any change has; reaching it means the command never ends. */
    private static final int MOST_STEPS = 60;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestGuest guest;
    private final String dom;
    private Path image;
    private final Map<String, String> figures = new TreeMap<>();

    KillAtEveryStep(ClassGuest<TestGuest> classGuest) {
        guest = classGuest.guest();
        dom = guest.name();
    }

    /** "plain" or "IOThread": the figures' column. */
    abstract String diskKind();

    /** How the main commands are crashed on this guest (libvirtd restarts take seconds each: on one guest). */
    abstract java.util.stream.Stream<Crash> crashes();

    /** The groups every test starts from, and vda behind a then b, live and persistent. */
    @BeforeAll
    void throttleVda() {
        for (String g : List.of("a", "b", "c")) {
            ok(CliRunner.run(
                    CliRunner.argv("throttlegroupset " + dom + " " + g + " --total-iops-sec 500 --live --config")));
        }
        ok(CliRunner.run(CliRunner.argv("throttlefilterset " + dom + " vda a,b --live --config")));
        image = TestHost.createImage(dom + "-sdb.qcow2", "qcow2", "16M");
    }

    @AfterAll
    void printFigures() {
        figures.values().forEach(System.out::println);
    }

    private void run(String line) {
        ok(CliRunner.run(CliRunner.argv(line)));
    }

    @ParameterizedTest
    @MethodSource("crashes")
    void groupSet(Crash crash) {
        crashAtEveryStep(
                "throttlegroupset --live --config",
                crash,
                "throttlegroupset " + dom + " z --total-iops-sec 300 --live --config",
                Undo.line("throttlegroupdel " + dom + " z --live --config"));
    }

    @Test
    void groupDel() {
        run("throttlegroupset " + dom + " z --total-iops-sec 300 --live --config");
        crashAtEveryStep(
                "throttlegroupdel --live --config",
                Crash.SIGKILL,
                "throttlegroupdel " + dom + " z --live --config",
                Undo.line("throttlegroupset " + dom + " z --total-iops-sec 300 --live --config"));
        run("throttlegroupdel " + dom + " z --live --config");
    }

    @ParameterizedTest
    @MethodSource("crashes")
    void rechain(Crash crash) {
        crashAtEveryStep(
                "throttlefilterset --live --config",
                crash,
                "throttlefilterset " + dom + " vda c,b --live --config",
                Undo.line("throttlefilterset " + dom + " vda a,b --live --config"));
    }

    private String attachSdb() {
        return "attach-disk " + dom + " " + image + " sdb --targetbus scsi --subdriver qcow2 --throttle-groups a,b"
                + " --live --config";
    }

    @ParameterizedTest
    @MethodSource("crashes")
    void attach(Crash crash) {
        crashAtEveryStep(
                "attach-disk --throttle-groups --live --config",
                crash,
                attachSdb(),
                Undo.line("detach-disk " + dom + " sdb --live --config"));
    }

    @Test
    void detach() {
        run(attachSdb());
        crashAtEveryStep(
                "detach-disk --live --config",
                Crash.SIGKILL,
                "detach-disk " + dom + " sdb --live --config",
                Undo.line(attachSdb()));
        run("detach-disk " + dom + " sdb --live --config");
    }

    /** From nothing of ours in QEMU (as after a restart, without its seconds) to everything live again. */
    @Test
    void reconcile() {
        Undo takeOffEverything = side -> takeOffEverything();
        takeOffEverything.run();
        crashAtEveryStep("reconcile", Crash.SIGKILL, "reconcile " + dom, takeOffEverything);
        run("reconcile " + dom);
    }

    /** Our filters and groups out of QEMU with raw QMP; the live record stays, as libvirt keeps it at a start. */
    private void takeOffEverything() {
        for (JsonNode b : guest.qmp("{\"execute\":\"query-block\"}")) {
            String qdev = b.path("qdev").asText();
            List<String[]> chain = b.has("inserted") ? guest.chainNodes(qdev) : List.of();
            List<String[]> filters =
                    chain.stream().filter(n -> n[1].startsWith("throttle(")).toList();
            if (filters.isEmpty()) {
                continue;
            }
            ObjectNode drive = JSON.createObjectNode()
                    .put("path", qdev.startsWith("/") ? qdev : "/machine/peripheral/" + qdev)
                    .put("property", "drive")
                    .put("value", chain.get(filters.size())[0]);
            guest.qmp("qom-set", drive);
            for (String[] filter : filters) {
                guest.qmp("blockdev-del", JSON.createObjectNode().put("node-name", filter[0]));
            }
        }
        for (String group : guest.throttleGroupObjects()) {
            guest.qmp("object-del", JSON.createObjectNode().put("id", group));
        }
    }

    /** a's limits, a new group d and vda's chain changed, live and persistent; undone with --prune. */
    @Test
    void apply() throws IOException {
        Path changed = stateFile(200, "      d: {total_iops_sec: 400}\n", "[b, d]");
        Path unchanged = stateFile(500, "", "[a, b]");
        crashAtEveryStep(
                "apply -f",
                Crash.SIGKILL,
                "apply -f " + changed,
                side -> run("apply -f " + unchanged + " --prune" + side));
    }

    private Path stateFile(int aIops, String moreGroups, String vdaChain) throws IOException {
        Path file = Files.createTempFile(image.getParent(), "state", ".yaml");
        Files.writeString(
                file,
                "domains:\n  " + dom + ":\n    groups:\n      a: {total_iops_sec: " + aIops + "}\n"
                        + "      b: {total_iops_sec: 500}\n      c: {total_iops_sec: 500}\n" + moreGroups
                        + "    disks:\n      vda: " + vdaChain + "\n");
        return file;
    }

    static CliRunner.Result ok(CliRunner.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    /** What a change may alter, with the names that differ from one run to the next made alike. */
    /**
     * QEMU's groups, nodes and chains and the live XML make the live side; the persistent XML the
     * other. A --live --config change is two changes in a row, which a kill can split.
     */
    record Observed(
            List<String> groups,
            List<String> nodes,
            Map<String, List<String>> chains,
            String liveXml,
            String inactiveXml) {
        List<Object> live() {
            return List.of(groups, nodes, chains, liveXml);
        }

        String persistent() {
            return inactiveXml;
        }
    }

    Observed observe() {
        List<String> groups = new ArrayList<>();
        for (String g : guest.throttleGroupObjects()) {
            groups.add(g + "=" + guest.qomLimits(g));
        }
        List<String> nodes = new ArrayList<>();
        for (JsonNode n : guest.qmp("{\"execute\":\"query-named-block-nodes\",\"arguments\":{\"flat\":true}}")) {
            nodes.add(alike(n.path("node-name").asText()) + ":" + n.path("drv").asText());
        }
        nodes.sort(null);
        Map<String, List<String>> chains = new TreeMap<>();
        for (JsonNode b : guest.qmp("{\"execute\":\"query-block\"}")) {
            if (b.has("inserted")) {
                chains.put(
                        b.path("qdev").asText(), guest.chainUnder(b.path("qdev").asText()));
            }
        }
        return new Observed(groups, nodes, chains, alike(guest.liveXml()), alike(guest.inactiveXml()));
    }

    /**
     * Node names and numbers that a redone change picks anew (libvirt counts its nodes up, filter
     * names skip the taken ones, a restarted domain has a new id): the same shape is the same state.
     */
    private static String alike(String text) {
        return text.replaceAll("libvirt-\\d+-", "libvirt-#-")
                .replaceAll("(vt[fp]-\\w+)-\\d+", "$1-#")
                .replaceAll(" index='\\d+'", " index='#'")
                .replaceFirst("<domain type='qemu' id='\\d+'", "<domain type='qemu'");
    }

    /** How a crash point is made: the parked process killed, or libvirtd restarted under it. */
    enum Crash {
        SIGKILL("crash points"),
        LIBVIRTD_RESTART("libvirtd-restart points");

        final String figure;

        Crash(String figure) {
            this.figure = figure;
        }
    }

    /**
     * Crashes {@code change} after each of its steps in turn, repairs with reconcile and checks what
     * is left; {@code undo} takes the guest from the state after the change back to the one before.
     * Returns the number of crash points (the change's steps).
     */
    int crashAtEveryStep(String label, Crash crash, String change, Undo undo) {
        long started = System.nanoTime();
        Observed before = observe();
        ok(CliRunner.run(CliRunner.argv(change)));
        Observed after = observe();
        assertThat(after).as("the change changes something").isNotEqualTo(before);
        undo.run();
        assertThat(observe()).as("the undo gives the state before").isEqualTo(before);
        List<String> failures = new ArrayList<>();
        List<String> split = new ArrayList<>();
        int tried = 0;
        for (int k = 1; k <= MOST_STEPS; k++) {
            List<String> args = new ArrayList<>(List.of("-c", TestHost.URI));
            args.addAll(List.of(CliRunner.argv(change)));
            try (ParkedProcess process = ParkedProcess.start(k, 90, args.toArray(String[]::new))) {
                if (!process.isParked()) {
                    assertThat(process.exitCode()).as(process.output()).isZero();
                    assertThat(observe()).as("a change that ran to its end").isEqualTo(after);
                    undo.run();
                    break;
                }
                tried++;
                String step = process.output()
                        .lines()
                        .filter(l -> l.contains("parked after step"))
                        .findFirst()
                        .orElseThrow();
                if (crash == Crash.SIGKILL) {
                    process.kill();
                } else {
                    TestHost.restartLibvirtd();
                    process.release();
                }
                String problem = problemAfterRepair(before, after);
                Observed repaired = observe();
                if (problem != null) {
                    failures.add(step + " (" + crash + "): " + problem + "\n" + process.output());
                } else if (!repaired.equals(before) && !repaired.equals(after)) {
                    split.add(step + ": live " + (repaired.live().equals(after.live()) ? "after" : "before")
                            + ", persistent "
                            + (repaired.persistent().equals(after.persistent()) ? "after" : "before"));
                }
            }
            Observed now = observe();
            if (now.equals(after)) {
                undo.run();
            } else if (!now.equals(before)) {
                // a failed point: live and persistent may each be on another side of the change
                for (String side : List.of("", " --live", " --config")) {
                    try {
                        undo.run(side);
                    } catch (AssertionError e) {
                        // the undo does not fit this mix; the next one may
                    }
                    if (observe().equals(before)) {
                        break;
                    }
                }
                if (!observe().equals(before)) {
                    failures.add("the guest could not be taken back to the state before; crash points after " + k
                            + " not tried");
                    break;
                }
            }
        }
        figures.put(
                label + crash,
                String.format(
                        "%s | %s | %s | %d tried | %d whole state before or after | %d each side before or after | %d s%s",
                        crash.figure,
                        label,
                        diskKind(),
                        tried,
                        tried - failures.size() - split.size(),
                        tried - failures.size(),
                        (System.nanoTime() - started) / 1_000_000_000L,
                        split.isEmpty() ? "" : "\n  split between live and persistent: " + String.join("; ", split)));
        assertThat(failures).as(label + " (" + diskKind() + ")").isEmpty();
        assertThat(tried).as("crash points of " + label).isGreaterThan(1);
        return tried;
    }

    /** Takes the guest back; given " --live" or " --config", only on that side (after a failed point). */
    interface Undo {
        void run(String onlySide);

        default void run() {
            run("");
        }

        /** The undo is a command line ending with --live --config. */
        static Undo line(String commandLine) {
            return side -> ok(CliRunner.run(
                    CliRunner.argv(side.isEmpty() ? commandLine : commandLine.replace(" --live --config", side))));
        }
    }

    /** Runs reconcile twice; says what is wrong after it, or null when all is well. */
    private String problemAfterRepair(Observed before, Observed after) {
        CliRunner.Result repair = CliRunner.run("reconcile", dom);
        if (repair.exitCode() != 0) {
            return "reconcile failed: " + repair;
        }
        String status =
                guest.qmp("{\"execute\":\"query-status\"}").path("status").asText();
        if (!status.equals("running")) {
            return "guest " + status;
        }
        Observed repaired = observe();
        if (!repaired.live().equals(before.live()) && !repaired.live().equals(after.live())
                || !repaired.persistent().equals(before.persistent())
                        && !repaired.persistent().equals(after.persistent())) {
            return "neither the state before nor after; reconcile said:\n" + repair.out() + "\n"
                    + difference(before, after, repaired);
        }
        CliRunner.Result again = CliRunner.run("reconcile", dom);
        if (!again.out().equals(dom + ": in sync\n\n") || !observe().equals(repaired)) {
            return "a second reconcile changed something: " + again;
        }
        return null;
    }

    /** The parts of the state that match neither side, for the failure message. */
    private static String difference(Observed before, Observed after, Observed now) {
        StringBuilder b = new StringBuilder();
        compare(b, "groups", before.groups(), after.groups(), now.groups());
        compare(b, "nodes", before.nodes(), after.nodes(), now.nodes());
        compare(b, "chains", before.chains(), after.chains(), now.chains());
        compare(b, "live XML", before.liveXml(), after.liveXml(), now.liveXml());
        compare(b, "persistent XML", before.inactiveXml(), after.inactiveXml(), now.inactiveXml());
        return b.toString();
    }

    private static void compare(StringBuilder b, String what, Object before, Object after, Object now) {
        String side = now.equals(before) ? "as before" : now.equals(after) ? "as after" : "NEITHER: " + now;
        b.append(what).append(": ").append(side).append('\n');
    }
}
