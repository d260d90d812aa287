package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import org.virtthrottle.testing.WatchProcess;

/**
 * Crash points: a change is run as its own virt-throttle process that parks after step k (see
 * {@link org.virtthrottle.testing.ParkingMain}) and is then killed with SIGKILL (or sees libvirtd
 * restarted under it), for k = 1 .. its number of steps; then {@code reconcile}. Afterwards QEMU's
 * graph, the live XML and the persistent XML are exactly what they were before the change or exactly
 * what the change makes of them, the guest runs, and a second reconcile finds nothing to do. Each
 * command prints one line of figures ("crash points | ..."), which docs/reliability.md's table quotes.
 * Subclasses say on which guest: disks in the main loop, or in an IOThread.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KillAtEveryStep {
    /** Far more than any change has; reaching it means the command never ends. */
    private static final int MOST_STEPS = 60;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every test on both guests; without it the suite runs the subset {@link #inSuite} names. */
    static final boolean ALL_CRASH_POINTS = Boolean.getBoolean("virtthrottle.test.allCrashPoints");

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
        onlyInSuiteOrAll("throttlegroupset", crash);
        crashAtEveryStep(
                "throttlegroupset --live --config",
                crash,
                "throttlegroupset " + dom + " z --total-iops-sec 300 --live --config",
                Undo.line("throttlegroupdel " + dom + " z --live --config"));
    }

    @ParameterizedTest
    @MethodSource("crashes")
    void groupDel(Crash crash) {
        onlyInSuiteOrAll("throttlegroupdel", crash);
        run("throttlegroupset " + dom + " z --total-iops-sec 300 --live --config");
        crashAtEveryStep(
                "throttlegroupdel --live --config",
                crash,
                "throttlegroupdel " + dom + " z --live --config",
                Undo.line("throttlegroupset " + dom + " z --total-iops-sec 300 --live --config"));
        run("throttlegroupdel " + dom + " z --live --config");
    }

    @ParameterizedTest
    @MethodSource("crashes")
    void rechain(Crash crash) {
        onlyInSuiteOrAll("throttlefilterset", crash);
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
        onlyInSuiteOrAll("attach-disk", crash);
        crashAtEveryStep(
                "attach-disk --throttle-groups --live --config",
                crash,
                attachSdb(),
                Undo.line("detach-disk " + dom + " sdb --live --config"));
    }

    @ParameterizedTest
    @MethodSource("crashes")
    void detach(Crash crash) {
        onlyInSuiteOrAll("detach-disk", crash);
        run(attachSdb());
        crashAtEveryStep(
                "detach-disk --live --config",
                crash,
                "detach-disk " + dom + " sdb --live --config",
                Undo.line(attachSdb()));
        run("detach-disk " + dom + " sdb --live --config");
    }

    /** From nothing of ours in QEMU (as after a restart, without its seconds) to everything live again. */
    @ParameterizedTest
    @MethodSource("crashes")
    void reconcile(Crash crash) {
        onlyInSuiteOrAll("reconcile", crash);
        Undo takeOffEverything = side -> takeOffEverything();
        takeOffEverything.run();
        crashAtEveryStep("reconcile", crash, "reconcile " + dom, takeOffEverything);
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
    @ParameterizedTest
    @MethodSource("crashes")
    void apply(Crash crash) throws IOException {
        onlyInSuiteOrAll("apply", crash);
        Path changed = stateFile(200, "      d: {total_iops_sec: 400}\n", "[b, d]");
        Path unchanged = stateFile(500, "", "[a, b]");
        crashAtEveryStep(
                "apply -f", crash, "apply -f " + changed, side -> run("apply -f " + unchanged + " --prune" + side));
    }

    /**
     * Whether the suite runs this test here (a command's libvirtd-restart points are "COMMAND with libvirtd
     * restarted"); all of them with -Dvirtthrottle.test.allCrashPoints=true.
     */
    abstract boolean inSuite(String test);

    private void onlyInSuiteOrAll(String command, Crash crash) {
        onlyInSuiteOrAll(crash == Crash.SIGKILL ? command : command + " with libvirtd restarted");
    }

    private void onlyInSuiteOrAll(String test) {
        assumeTrue(
                ALL_CRASH_POINTS || inSuite(test),
                test
                        + " on this guest runs with -Dvirtthrottle.test.allCrashPoints=true (docs/reliability.md, Killed at every step)");
    }

    private Path vdaImage() {
        return TestHost.imageDir().resolve(dom + "-vda.qcow2");
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** vda on a new overlay (libvirt's external disk-only snapshot, the backup recipe's first step). */
    private void snapshotVda(Path overlay, String name) {
        delete(overlay);
        List<String> args = new ArrayList<>(List.of("snapshot-create-as", dom));
        args.addAll(name == null ? List.of("--no-metadata") : List.of(name));
        args.addAll(List.of("--disk-only", "--diskspec", "vda,snapshot=external,file=" + overlay));
        guest.virsh(args.toArray(String[]::new));
    }

    /** The backup recipe's last step: vda's overlay committed into its base, the guest pivoted onto it. */
    @Test
    void blockcommitActivePivot() {
        onlyInSuiteOrAll("blockcommit");
        Path overlay = vdaImage().resolveSibling(dom + "-vda-overlay.qcow2");
        snapshotVda(overlay, null);
        crashAtEveryStep(
                "blockcommit --active --pivot",
                Crash.SIGKILL,
                "blockcommit " + dom + " vda --active --pivot",
                side -> snapshotVda(overlay, null),
                "--pivot",
                () -> {});
        run("blockcommit " + dom + " vda --active --pivot");
        delete(overlay);
    }

    /** vda copied and pivoted onto the copy; a job left running is aborted (the copy stays unused). */
    @Test
    void blockcopyPivot() {
        onlyInSuiteOrAll("blockcopy");
        Path copy = vdaImage().resolveSibling(dom + "-vda-copy.qcow2");
        String copyBack = "blockcopy " + dom + " vda --dest " + vdaImage() + " --format qcow2 --transient-job --pivot";
        // libvirt's pivot of a copy writes <backingStore/> into the persistent definition: one copy there and
        // back first, so that the state before is one the undo can give again
        delete(copy);
        run("blockcopy " + dom + " vda --dest " + copy + " --format qcow2 --transient-job --pivot");
        delete(vdaImage());
        run(copyBack);
        crashAtEveryStep(
                "blockcopy --pivot",
                Crash.SIGKILL,
                "blockcopy " + dom + " vda --dest " + copy + " --format qcow2 --transient-job --pivot",
                side -> {
                    delete(vdaImage());
                    run(copyBack);
                },
                "--abort",
                () -> delete(copy));
        delete(copy);
    }

    /** libvirt 9's commit of an external snapshot, run with the chain lifted for the whole call. */
    @Test
    void snapshotDeleteExternal() {
        onlyInSuiteOrAll("snapshot-delete");
        Path overlay = vdaImage().resolveSibling(dom + "-vda.s1");
        snapshotVda(overlay, "s1");
        crashAtEveryStep(
                "snapshot-delete (external)",
                Crash.SIGKILL,
                "snapshot-delete " + dom + " s1",
                side -> snapshotVda(overlay, "s1"),
                "--pivot",
                () -> {});
        run("snapshot-delete " + dom + " s1");
        delete(overlay);
    }

    /** The image grows, then the new size is passed up through the filters to the guest. */
    @Test
    void blockresize() {
        onlyInSuiteOrAll("blockresize");
        crashAtEveryStep(
                "blockresize",
                Crash.SIGKILL,
                "blockresize " + dom + " vda 80M",
                side -> run("blockresize " + dom + " vda 64M"),
                null,
                () -> {});
    }

    /**
     * The watch service killed while it re-applies everything to the restarted guest: for every k a
     * watch that parks after step k is started, the guest is restarted (libvirt 9 starts QEMU without
     * any of it), the watch is killed once parked; then a fresh watch must bring back exactly what a
     * reconcile of the restarted guest makes, and a reconcile after it find nothing to do.
     */
    @Test
    void watchKilledWhileItReappliesAfterARestart() {
        onlyInSuiteOrAll("watch");
        long started = System.nanoTime();
        restart();
        run("reconcile " + dom);
        Observed after = observe();
        List<String> failures = new ArrayList<>();
        int tried = 0;
        for (int k = 1; k <= MOST_STEPS; k++) {
            String step;
            try (ParkedProcess watch = ParkedProcess.launch(k, "-c", TestHost.URI, "watch", dom)) {
                awaitOutput(watch, dom + ": initial check: in sync");
                restart();
                if (!parksOrApplies(watch)) {
                    assertThat(observe())
                            .as("what a watch that ran to the end applied")
                            .isEqualTo(after);
                    break;
                }
                tried++;
                step = watch.parkedLine();
                watch.kill();
            }
            String problem = null;
            try (WatchProcess fresh = WatchProcess.start("-c", TestHost.URI, "watch", dom)) {
                fresh.await(
                        "the fresh watch's initial check", 60, () -> fresh.log().contains(dom + ": initial check: "));
                fresh.stop();
                String status = guest.qmp("{\"execute\":\"query-status\"}")
                        .path("status")
                        .asText();
                Observed repaired = observe();
                CliRunner.Result again = CliRunner.run("reconcile", dom);
                if (!status.equals("running")) {
                    problem = "guest " + status;
                } else if (!repaired.equals(after)) {
                    problem = "not what a reconcile of the restarted guest makes; the fresh watch logged:\n"
                            + fresh.log() + difference(after, after, repaired);
                } else if (!again.out().equals(dom + ": in sync\n\n")
                        || !observe().equals(repaired)) {
                    problem = "a reconcile after the fresh watch changed something: " + again;
                }
            }
            if (problem != null) {
                failures.add(step + ": " + problem);
                run("reconcile " + dom);
            }
        }
        figures.put(
                "watch",
                String.format(
                        "crash points | watch (re-applying after a restart), repaired by a fresh watch | %s | %d tried"
                                + " | %d whole state after | %d s",
                        diskKind(), tried, tried - failures.size(), (System.nanoTime() - started) / 1_000_000_000L));
        assertThat(failures).as("watch (" + diskKind() + ")").isEmpty();
        assertThat(tried).as("crash points of watch").isGreaterThan(1);
    }

    private void restart() {
        guest.destroyDomain();
        guest.startDomain();
    }

    private static void awaitOutput(ParkedProcess process, String text) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!process.output().contains(text)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no '" + text + "' within 60 s; output:\n" + process.output());
            }
            TestHost.sleep(20);
        }
    }

    /** Waits until the watch parks (true) or has logged the whole re-application (false). */
    private boolean parksOrApplies(ParkedProcess watch) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (watch.isParked()) {
                return true;
            }
            if (watch.output().contains(dom + ": started (booted): ")) {
                TestHost.sleep(1000); // a RESUMED event may follow: in sync, no step
                return watch.isParked();
            }
            TestHost.sleep(20);
        }
        throw new AssertionError("the watch neither parked nor re-applied within 60 s:\n" + watch.output());
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

    /**
     * What a change may alter, with the names that differ from one run to the next made alike. QEMU's
     * groups, nodes (with their sizes), chains (with the size the guest sees), block jobs and the live
     * XML make the live side; the persistent XML and libvirt's snapshots the other. A --live --config
     * change is two changes in a row, which a kill can split.
     */
    record Observed(
            List<String> groups,
            List<String> nodes,
            Map<String, List<String>> chains,
            List<String> jobs,
            String liveXml,
            String inactiveXml,
            String snapshots) {
        List<Object> live() {
            return List.of(groups, nodes, chains, jobs, liveXml);
        }

        List<String> persistent() {
            return List.of(inactiveXml, snapshots);
        }
    }

    Observed observe() {
        List<String> groups = new ArrayList<>();
        for (String g : guest.throttleGroupObjects()) {
            groups.add(g + "=" + guest.qomLimits(g));
        }
        List<String> nodes = new ArrayList<>();
        for (JsonNode n : guest.qmp("{\"execute\":\"query-named-block-nodes\",\"arguments\":{\"flat\":true}}")) {
            // a format or filter node's size is what the guest may see; a protocol node's is the host file's
            // length, which grows with what QEMU writes
            String drv = n.path("drv").asText();
            nodes.add(alike(n.path("node-name").asText()) + ":" + drv
                    + (List.of("file", "host_device").contains(drv)
                            ? ""
                            : ":" + n.path("image").path("virtual-size").asText()));
        }
        nodes.sort(null);
        Map<String, List<String>> chains = new TreeMap<>();
        for (JsonNode b : guest.qmp("{\"execute\":\"query-block\"}")) {
            if (b.has("inserted")) {
                List<String> chain =
                        new ArrayList<>(guest.chainUnder(b.path("qdev").asText()));
                chain.add("size "
                        + b.path("inserted").path("image").path("virtual-size").asText());
                chains.put(b.path("qdev").asText(), chain);
            }
        }
        List<String> jobs = new ArrayList<>();
        for (JsonNode j : guest.qmp("{\"execute\":\"query-block-jobs\"}")) {
            jobs.add(alike(j.path("device").asText()) + ":" + j.path("type").asText());
        }
        return new Observed(
                groups,
                nodes,
                chains,
                jobs,
                alike(guest.liveXml()),
                alike(guest.inactiveXml()),
                String.join(",", guest.snapshotNames()));
    }

    /**
     * Node names and numbers that a redone change picks anew (libvirt counts its nodes up, filter
     * names skip the taken ones, a restarted domain has a new id): the same shape is the same state.
     */
    private static String alike(String text) {
        return text.replaceAll("libvirt-\\d+-", "libvirt-#-")
                .replaceAll("(vt[fp]-\\w+)-\\d+", "$1-#")
                .replaceAll(" index='\\d+'", " index='#'")
                .replaceAll("#block\\d+", "#block#")
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
        return crashAtEveryStep(label, crash, change, undo, null, () -> {});
    }

    /**
     * The same for a change that starts one of libvirt's block jobs on vda, which libvirt runs on when
     * the process is killed: where reconcile finds the job still running, it must have put vda's chain
     * (the guest's groups, nothing else of ours) right above the job's own node and changed nothing
     * else; the job is then ended with {@code blockjob vda END} ("--pivot" or "--abort"), after which
     * the whole state must be the one after the change (pivot) or before it (abort) and reconcile in
     * sync. {@code beforeEachPoint} runs before each process (e.g. removes the copy a job left).
     */
    int crashAtEveryStep(String label, Crash crash, String change, Undo undo, String end, Runnable beforeEachPoint) {
        long started = System.nanoTime();
        Observed before = observe();
        beforeEachPoint.run();
        ok(CliRunner.run(CliRunner.argv(change)));
        Observed after = observe();
        assertThat(after).as("the change changes something").isNotEqualTo(before);
        undo.run();
        assertThat(observe()).as("the undo gives the state before").isEqualTo(before);
        List<String> failures = new ArrayList<>();
        List<String> split = new ArrayList<>();
        List<String> jobsLeft = new ArrayList<>();
        int tried = 0;
        for (int k = 1; k <= MOST_STEPS; k++) {
            beforeEachPoint.run();
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
                String step = process.parkedLine();
                if (crash == Crash.SIGKILL) {
                    process.kill();
                } else {
                    TestHost.restartLibvirtd();
                    process.release();
                }
                boolean[] jobLeft = {false};
                String problem = problemAfterRepair(before, after, end, jobLeft);
                Observed repaired = observe();
                if (jobLeft[0]) {
                    jobsLeft.add(step.replaceFirst(".*parked after step ", ""));
                }
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
                        "%s | %s | %s | %d tried | %d whole state before or after | %d each side before or after | %d s%s%s",
                        crash.figure,
                        label,
                        diskKind(),
                        tried,
                        tried - failures.size() - split.size(),
                        tried - failures.size(),
                        (System.nanoTime() - started) / 1_000_000_000L,
                        split.isEmpty() ? "" : "\n  split between live and persistent: " + String.join("; ", split),
                        jobsLeft.isEmpty()
                                ? ""
                                : "\n  libvirt's job still running after reconcile, chain on its node, then blockjob "
                                        + end + ": " + jobsLeft.size() + " (" + String.join("; ", jobsLeft) + ")"));
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

    /**
     * Runs reconcile twice; says what is wrong after it, or null when all is well. A block job that
     * libvirt still runs (only when {@code end} is given) is checked, then ended that way.
     */
    private String problemAfterRepair(Observed before, Observed after, String end, boolean[] jobLeft) {
        CliRunner.Result repair = CliRunner.run("reconcile", dom);
        if (repair.exitCode() != 0) {
            return "reconcile failed: " + repair;
        }
        String status =
                guest.qmp("{\"execute\":\"query-status\"}").path("status").asText();
        if (!status.equals("running")) {
            return "guest " + status;
        }
        if (end != null && !guest.qmp("{\"execute\":\"query-block-jobs\"}").isEmpty()) {
            jobLeft[0] = true;
            return problemWithJob(before, after, end, repair);
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

    /**
     * What reconcile must leave while libvirt's job on vda runs on after the kill: vda's chain (the
     * groups it had before) right above the job's own node (commit_top, mirror_top), which QEMU
     * replaces in all its parents when the job ends; no other filter or placeholder of ours; the
     * groups, their limits, the live record and the persistent XML as before (or after); a second
     * reconcile in sync. Ending the job then gives the whole state after ({@code --pivot}) or before
     * ({@code --abort}), with reconcile in sync.
     */
    private String problemWithJob(Observed before, Observed after, String end, CliRunner.Result repair) {
        String vda = guest.aliasOf("vda");
        List<String> wanted = before.chains().entrySet().stream()
                .filter(e -> e.getKey().equals(vda) || e.getKey().startsWith("/machine/peripheral/" + vda + "/"))
                .flatMap(e -> e.getValue().stream())
                .filter(n -> n.startsWith("throttle("))
                .toList();
        List<String> chain = guest.chainUnder(vda);
        List<String> filters =
                chain.stream().takeWhile(n -> n.startsWith("throttle(")).toList();
        String below = chain.size() > filters.size() ? chain.get(filters.size()) : "nothing";
        if (!filters.equals(wanted) || !List.of("commit_top", "mirror_top").contains(below)) {
            return "while the job runs, vda reads through " + chain + ", not " + wanted + " above the job's node;"
                    + " reconcile said:\n" + repair.out();
        }
        Observed running = observe();
        long ours = running.nodes().stream().filter(n -> n.startsWith("vt")).count();
        if (ours != filters.size()) {
            return "nodes of ours beyond vda's chain while the job runs: " + running.nodes();
        }
        if (!running.groups().equals(before.groups())) {
            return "groups changed while the job runs: " + running.groups();
        }
        if (!record(running.liveXml()).equals(record(before.liveXml()))) {
            return "the live record changed: " + record(running.liveXml());
        }
        if (!running.persistent().equals(before.persistent())
                && !running.persistent().equals(after.persistent())) {
            return "the persistent XML is neither before nor after while the job runs:\n" + running.inactiveXml();
        }
        CliRunner.Result again = CliRunner.run("reconcile", dom);
        if (!again.out().equals(dom + ": in sync\n\n") || !observe().equals(running)) {
            return "a second reconcile changed something while the job runs: " + again;
        }
        awaitJob(true);
        CliRunner.Result ended = CliRunner.run("blockjob", dom, "vda", end);
        if (ended.exitCode() != 0) {
            return "blockjob " + end + " failed: " + ended;
        }
        awaitJob(false);
        CliRunner.Result afterEnd = CliRunner.run("reconcile", dom);
        if (!afterEnd.out().equals(dom + ": in sync\n\n")) {
            return "after blockjob " + end + " reconcile was not in sync: " + afterEnd;
        }
        Observed expected = end.equals("--pivot") ? after : before;
        Observed now = observe();
        if (!now.equals(expected)) {
            return "after blockjob " + end + " not the state " + (end.equals("--pivot") ? "after" : "before") + ":\n"
                    + difference(before, after, now);
        }
        return null;
    }

    /** Our metadata element in a domain XML (the live record), or "" without one. */
    private static String record(String xml) {
        int start = xml.indexOf("<metadata>");
        return start < 0 ? "" : xml.substring(start, xml.indexOf("</metadata>", start));
    }

    /** Waits until vda's job is ready to be ended ({@code ready}) or gone. */
    private void awaitJob(boolean ready) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode jobs = guest.qmp("{\"execute\":\"query-block-jobs\"}");
            if (ready ? jobs.size() > 0 && jobs.get(0).path("ready").asBoolean() : jobs.isEmpty()) {
                return;
            }
            TestHost.sleep(100);
        }
        throw new AssertionError("vda's job not " + (ready ? "ready" : "gone") + " within 60 s");
    }

    /** The parts of the state that match neither side, for the failure message. */
    private static String difference(Observed before, Observed after, Observed now) {
        StringBuilder b = new StringBuilder();
        compare(b, "groups", before.groups(), after.groups(), now.groups());
        compare(b, "nodes", before.nodes(), after.nodes(), now.nodes());
        compare(b, "chains", before.chains(), after.chains(), now.chains());
        compare(b, "jobs", before.jobs(), after.jobs(), now.jobs());
        compare(b, "snapshots", before.snapshots(), after.snapshots(), now.snapshots());
        compare(b, "live XML", before.liveXml(), after.liveXml(), now.liveXml());
        compare(b, "persistent XML", before.inactiveXml(), after.inactiveXml(), now.inactiveXml());
        return b.toString();
    }

    private static void compare(StringBuilder b, String what, Object before, Object after, Object now) {
        String side = now.equals(before) ? "as before" : now.equals(after) ? "as after" : "NEITHER: " + now;
        b.append(what).append(": ").append(side).append('\n');
    }
}
