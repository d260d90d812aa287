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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.app.AffectedSides;
import org.virtthrottle.app.ApplyState;
import org.virtthrottle.app.ApplyTiers;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.app.Reconcile;
import org.virtthrottle.app.TierFile;
import org.virtthrottle.app.TierMembers;
import org.virtthrottle.app.Tiers;
import org.virtthrottle.cli.completion.CompletedWith;
import org.virtthrottle.cli.output.Output;
import org.virtthrottle.cli.output.PlanOutput;
import org.virtthrottle.plan.Step;
import org.virtthrottle.state.DesiredState;
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
                    + "domain's groups with their whole limits and tier, and its disks' filter chains (an empty list: not throttled).",
            "The file's tiers: (budgets, as in the tiers file) are written to the host's tiers file first, for the tiers "
                    + "it names (others are left as they are, also with --prune); a group that joins a tier starts at its floor live.",
            "Live, the difference from what QEMU has is planned as reconcile plans it; the config is rewritten "
                    + "where it differs. Without --config/--live/--current: both on a running domain, the config on a "
                    + "shut-off one. Without --prune only what the file names is touched.",
            "Every domain in the file is checked before the first change; a failing change is undone. Prints "
                    + "what changed; a second run changes nothing.",
            "JSON: {\"changed\": BOOL, \"tiers\": {\"file\", \"changed\": BOOL, \"changes\": [...]} (when the file has tiers or members), "
                    + "\"domains\": [{\"domain\", \"changed\": BOOL, \"changes\": [...], \"drift\": [...]}]}."
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
        DesiredState all = StateFile.parseAll(source(), read());
        DesiredState file = all.withDomains(selected(all.domains()));
        // a change of the tiers file holds its lock from the read to the write, as the tier commands do
        try (TierFile.Lock lock =
                file.hasTiers() && !dryRun() ? context().tiers().lock() : null) {
            return apply(file, sides);
        }
    }

    private int apply(DesiredState file, AffectedSides sides) {
        List<DomainState> states = file.domains();
        // the tiers file is read (and must be trusted) only when the file has to do with tiers
        Optional<ApplyTiers.Result> tiers =
                file.hasTiers() ? Optional.of(ApplyTiers.plan(context().tiers().read(), file)) : Optional.empty();
        List<DomainSession> sessions = context()
                .domains(
                        states.stream().map(DomainState::name).toList(),
                        "apply throttle state",
                        tiers.<Tiers>map(t -> t).orElse(context().tiers()));
        try {
            distinct(sessions);
            List<Reconcile.Result> results = new ArrayList<>();
            for (int i = 0; i < states.size(); i++) {
                results.add(ApplyState.plan(sessions.get(i), states.get(i), sides, prune));
            }
            if (tiers.isPresent()) {
                Map<String, Map<String, String>> members = new LinkedHashMap<>();
                for (int i = 0; i < states.size(); i++) {
                    members.put(
                            sessions.get(i).name(),
                            ApplyState.membersAfter(sessions.get(i), states.get(i), sides, prune));
                }
                ApplyTiers.checkFloors(
                        tiers.get(), file, members, TierMembers.all(context().sessions(), false));
            }
            report(tiers, sessions, results);
        } finally {
            context().releaseLocks();
        }
        return 0;
    }

    /**
     * Writes the tiers file when it changes, then applies each domain's plan (every one was checked
     * first), and says what changed.
     */
    private void report(
            Optional<ApplyTiers.Result> tiers, List<DomainSession> sessions, List<Reconcile.Result> results) {
        Output out = output();
        ObjectNode json = out.object();
        boolean tiersChange = tiers.map(ApplyTiers.Result::changed).orElse(false);
        json.put("changed", tiersChange || results.stream().anyMatch(r -> !r.inSync()));
        if (dryRun()) {
            json.put("dry_run", true);
        }
        if (tiers.isPresent()) {
            String path = context().tiers().path().toString();
            if (tiersChange && !dryRun()) {
                context().tiers().write(tiers.get().after());
            }
            if (out.json()) {
                ObjectNode t = json.putObject("tiers");
                t.put("file", path).put("changed", tiersChange);
                tiers.get().changes().forEach(t.putArray("changes")::add);
            } else {
                String prefix = "tiers: " + (dryRun() ? "would: " : "");
                tiers.get().changes().forEach(c -> out.line(prefix + c));
                if (tiersChange && dryRun()) {
                    out.text("would write " + path + ":\n"
                            + StateFile.toYaml(StateFile.tiersTree(tiers.get().after())));
                }
            }
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
