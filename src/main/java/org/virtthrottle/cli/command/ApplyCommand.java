package org.virtthrottle.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.app.AffectedSides;
import org.virtthrottle.app.ApplyState;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.app.Reconcile;
import org.virtthrottle.cli.completion.CompletedWith;
import org.virtthrottle.cli.output.Output;
import org.virtthrottle.cli.output.PlanOutput;
import org.virtthrottle.plan.Step;
import org.virtthrottle.state.DomainState;
import org.virtthrottle.state.StateFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "apply",
        description = {
            "Make domains' throttling what a desired-state file (YAML or JSON, as export prints it) says: each "
                    + "domain's groups with their whole limits, and its disks' filter chains (an empty list: not throttled).",
            "Live, the difference from what QEMU has is planned as reconcile plans it; the config is rewritten "
                    + "where it differs. Without --config/--live/--current: both on a running domain, the config on a "
                    + "shut-off one. Without --prune only what the file names is touched.",
            "Every domain in the file is checked before the first change; a failing change is undone. Prints "
                    + "what changed; a second run changes nothing.",
            "JSON: {\"changed\": BOOL, \"domains\": [{\"domain\", \"changed\": BOOL, \"changes\": [...], \"drift\": [...]}]}."
        })
public final class ApplyCommand extends ChangingCommand {
    @CompletedWith(CompletedWith.Names.FILE)
    @Option(
            names = {"-f", "--file"},
            required = true,
            paramLabel = "FILE",
            description = "the desired-state file, YAML or JSON ('-' for standard input)")
    String file;

    @NamedForm("domain")
    @CompletedWith(CompletedWith.Names.DOMAIN)
    @Parameters(
            paramLabel = "DOMAIN",
            arity = "0..*",
            description = "only these domains of the file (default: all of them)")
    List<String> only = new ArrayList<>();

    @Mixin
    AffectOptions affect;

    @Option(
            names = "--prune",
            description = "also delete the groups and filter chains of the file's domains that the file does not name")
    boolean prune;

    @Override
    public Integer call() {
        AffectedSides sides = affect.live || affect.config || affect.current
                ? affect.sides()
                : new AffectedSides(false, false, false, true);
        List<DomainState> states = selected(StateFile.parse(source(), read()));
        List<DomainSession> sessions =
                context().domains(states.stream().map(DomainState::name).toList(), "apply throttle state");
        try {
            distinct(sessions);
            List<Reconcile.Result> results = new ArrayList<>();
            for (int i = 0; i < states.size(); i++) {
                results.add(ApplyState.plan(sessions.get(i), states.get(i), sides, prune));
            }
            report(sessions, results);
        } finally {
            context().releaseLocks();
        }
        return 0;
    }

    /** Applies each domain's plan (every one was checked first) and says what changed. */
    private void report(List<DomainSession> sessions, List<Reconcile.Result> results) {
        Output out = output();
        ObjectNode json = out.object();
        json.put("changed", results.stream().anyMatch(r -> !r.inSync()));
        if (dryRun()) {
            json.put("dry_run", true);
        }
        ArrayNode list = json.putArray("domains");
        for (int i = 0; i < results.size(); i++) {
            Reconcile.Result result = results.get(i);
            if (!dryRun()) {
                result.apply(sessions.get(i));
            }
            if (out.json()) {
                ObjectNode d = list.addObject();
                d.put("domain", result.domain());
                d.put("changed", !result.inSync());
                result.changes().forEach(d.putArray("changes")::add);
                result.drift().forEach(d.putArray("drift")::add);
                if (dryRun()) {
                    result.plan().steps().stream().map(Step::name).forEach(d.putArray("plan")::add);
                }
                continue;
            }
            PlanOutput.changes(out, result, dryRun(), result.inSync() ? "unchanged" : null);
        }
        if (out.json()) {
            out.json(json);
        }
    }

    /** The file as errors name it. */
    private String source() {
        return file.equals("-") ? "standard input" : file;
    }

    private String read() {
        try {
            if (file.equals("-")) {
                InputStream in = System.in;
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new VirtThrottleException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The file's domains, or those of them named on the line. */
    private List<DomainState> selected(List<DomainState> states) {
        for (String name : only) {
            if (states.stream().noneMatch(s -> s.name().equals(name))) {
                throw new VirtThrottleException(source() + ": has no domain '" + name + "'");
            }
        }
        return only.isEmpty()
                ? states
                : states.stream().filter(s -> only.contains(s.name())).toList();
    }

    /** One domain named twice (by name and by UUID) would be planned twice against the same state. */
    private void distinct(List<DomainSession> sessions) {
        Map<String, String> byUuid = new HashMap<>();
        for (DomainSession s : sessions) {
            String other = byUuid.putIfAbsent(s.uuid(), s.name());
            if (other != null) {
                throw new VirtThrottleException(source() + ": domain '" + s.name() + "' is in the file twice");
            }
        }
    }
}
