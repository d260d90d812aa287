package org.virtthrottle.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import org.virtthrottle.app.Sampler;
import org.virtthrottle.app.ThrottleStat;
import org.virtthrottle.app.TierStat;
import org.virtthrottle.app.UsageException;
import org.virtthrottle.cli.completion.CompletedWith;
import org.virtthrottle.cli.output.Output;
import org.virtthrottle.model.Tier;
import org.virtthrottle.stats.DiskRate;
import org.virtthrottle.stats.DomainRates;
import org.virtthrottle.stats.GroupUsage;
import org.virtthrottle.stats.PrometheusText;
import org.virtthrottle.stats.StatTables;
import org.virtthrottle.stats.TierUsage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "throttlestat",
        description = {
            "Show how hard the running domain's throttle groups are used: each non-zero limit of bytes/s or IOPS "
                    + "(total, read, write) with the rate its disks did over the sample, the share of the limit "
                    + "and the disks feeding it (a disk counts for every group of its chain). --disks shows each disk's "
                    + "rates and chain. The counters are libvirt's block stats, one call per sample for all disks.",
            "One sample over 1 s by default; --interval S samples every S seconds until interrupted (Ctrl-C), "
                    + "--count N takes N samples, like iostat; in the shell, without --count it samples until Ctrl-C. A disk detached or whose counters went back (guest restart) "
                    + "between two samples has no rate that time and the sample says so.",
            "--prometheus prints one snapshot of every running domain (or of the DOMAINs named) in Prometheus's text "
                    + "format: the disks' counters, the groups' limits and which disk is behind which group.",
            "JSON: one document per sample, {\"time\", \"interval_s\", \"domains\": [{\"domain\", \"groups\": [{\"group\", "
                    + "\"disks\", \"limits\": [{\"limit\", \"value\", \"rate\", \"percent\"}]}], \"disks\": [{\"target\", "
                    + "\"groups\", \"read_iops\", \"write_iops\", \"read_bytes_sec\", \"write_bytes_sec\", \"note\"}], "
                    + "\"notes\": [...]}]}.",
            "--tier TIER samples the member groups of the tier in every running domain instead (same --interval "
                    + "and --count; no DOMAIN, GROUP, --all or --disks): per rate of its budget, the members' summed "
                    + "rate and its share of the budget; per member, its share (its limit in QEMU, read at each "
                    + "sample) and its rate (over the disks whose chain uses the group).",
            "A member's demand is its rate, or 'backlogged' when the rate reaches 90 percent of its share (it would "
                    + "do more: the watch service probes it). The members are those of the domains running at the "
                    + "start. With --prometheus: one sample over --interval (default 1 s) as the virt_throttle_tier_* "
                    + "gauges.",
            "JSON with --tier: one document per sample, {\"time\", \"interval_s\", \"tier\", \"seconds\", \"rates\": "
                    + "[{\"limit\", \"budget\", \"rate\", \"percent\"}], \"members\": [{\"domain\", \"group\", "
                    + "\"limits\": [{\"limit\", \"share\", \"rate\", \"percent\", \"backlogged\", \"demand\"}]}], "
                    + "\"notes\": [...]} (share and percent null when QEMU has no share, demand null when backlogged)."
        })
public final class ThrottleStatCommand extends Subcommand {
    @NamedForm("domain")
    @CompletedWith(CompletedWith.Names.DOMAIN)
    @Parameters(index = "0", arity = "0..1", paramLabel = "DOMAIN", description = "domain name, id or uuid")
    String domain;

    @NamedForm("group-name")
    @CompletedWith(CompletedWith.Names.GROUP)
    @Parameters(
            index = "1..*",
            arity = "0..*",
            paramLabel = "GROUP",
            description = "throttle groups to show (default: all); with --prometheus, more domains")
    List<String> groups = new ArrayList<>();

    @Option(names = "--disks", description = "show each disk's rates and chain too")
    boolean disks;

    @Option(names = "--all", description = "every running domain that has throttle groups")
    boolean all;

    @Option(names = "--interval", paramLabel = "<number>", description = "seconds between samples (default 1)")
    String interval;

    @Option(
            names = "--count",
            paramLabel = "<number>",
            description = "number of samples (default 1; in the shell: until Ctrl-C)")
    String count;

    @Option(names = "--prometheus", description = "one snapshot in Prometheus's text exposition format")
    boolean prometheus;

    @Option(
            names = "--tier",
            paramLabel = "TIER",
            description = "the tier's budget, its aggregate rate and each member group's share, rate and demand "
                    + "(no DOMAIN, GROUP, --all or --disks)")
    @CompletedWith(CompletedWith.Names.TIER)
    String tier;

    @Override
    public Integer call() {
        // the command line is checked before anything connects: a wrong one changes and asks nothing
        Output out = output();
        if (tier != null) {
            return tier();
        }
        if (prometheus) {
            if (all || disks || interval != null || count != null) {
                throw new UsageException("--prometheus takes only DOMAIN... (default: every running domain)");
            }
            List<String> domains = new ArrayList<>(groups);
            if (domain != null) {
                domains.add(0, domain);
            }
            out.bare();
            out.text(ThrottleStat.prometheus(context().connection(), context().sessions(), domains));
            return 0;
        }
        if (all == (domain != null)) {
            throw new UsageException("give either DOMAIN or --all");
        }
        if (all && !groups.isEmpty()) {
            throw new UsageException("--all takes no GROUP: it shows every group of every domain");
        }
        long millis = Math.round(seconds(interval) * 1000);
        long samples = samples();
        try (ThrottleStat stat = ThrottleStat.start(
                context().connection(),
                context().sessions(),
                domain == null ? List.of() : List.of(domain),
                all,
                groups)) {
            sample(stat, millis, samples, this::document, this::print);
        }
        return 0;
    }

    /** --tier: the checks come before the tiers file is read, the tier before anything connects. */
    private Integer tier() {
        if (domain != null || !groups.isEmpty() || all || disks) {
            throw new UsageException("--tier takes no DOMAIN, GROUP, --all or --disks: it shows the tier's member "
                    + "groups in every running domain");
        }
        if (prometheus && count != null) {
            throw new UsageException("--prometheus --tier takes one sample: no --count");
        }
        long millis = Math.round(seconds(interval) * 1000);
        long samples = prometheus ? 1 : samples();
        Tier t = context().tiers().find(tier).orElseThrow(() -> Tier.notFound(tier));
        Output out = output();
        try (TierStat stat = TierStat.start(context().connection(), context().sessions(), t)) {
            if (prometheus) {
                out.bare();
                out.text(PrometheusText.renderTier(stat.next(millis)));
            } else {
                sample(stat, millis, samples, this::tierDocument, this::printTier);
            }
        } catch (InterruptedException e) {
            // interrupted before its one sample: nothing to print
            Thread.interrupted();
        }
        return 0;
    }

    /** The number of samples: --count, else as iostat, one, or with an interval (or in the shell) until interrupted. */
    private long samples() {
        return count != null ? samples(count) : interval != null || context().inShell() ? Long.MAX_VALUE : 1;
    }

    /**
     * Takes the samples, printing each as it comes: one JSON document per sample, or the text ({@code more}:
     * another sample follows). Ctrl-C in the shell ends the run; what was sampled is printed.
     */
    private <S> void sample(
            Sampler<S> sampler,
            long millis,
            long samples,
            BiConsumer<S, ObjectNode> json,
            BiConsumer<S, Boolean> text) {
        Output out = output();
        try {
            for (long i = 1; i <= samples; i++) {
                S sample = sampler.next(millis);
                if (out.json()) {
                    ObjectNode doc = out.object();
                    doc.put("time", Instant.now().toString());
                    doc.put("interval_s", millis / 1000.0);
                    json.accept(sample, doc);
                    if (i == samples) {
                        out.json(doc);
                    } else {
                        out.jsonNow(doc);
                    }
                } else {
                    text.accept(sample, i < samples);
                }
            }
        } catch (InterruptedException e) {
            Thread.interrupted();
        }
    }

    private static double seconds(String text) {
        if (text == null) {
            return 1;
        }
        try {
            double s = Double.parseDouble(text);
            if (s > 0 && s <= 86400) {
                return s;
            }
        } catch (NumberFormatException e) {
            // the message below says what is wanted
        }
        throw new UsageException("invalid --interval '" + text + "': give the seconds between samples, more than 0 "
                + "and at most 86400");
    }

    private static long samples(String text) {
        try {
            long n = Long.parseLong(text);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is wanted
        }
        throw new UsageException("invalid --count '" + text + "': give the number of samples, 1 or more");
    }

    private void print(List<DomainRates> rates, boolean more) {
        Output out = output();
        String time = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        for (int i = 0; i < rates.size(); i++) {
            DomainRates r = rates.get(i);
            out.line(String.format(Locale.ROOT, "%s: %.2f s to %s", r.domain(), r.seconds(), time));
            out.table(StatTables.GROUP_HEADERS, StatTables.groupRows(r));
            if (disks) {
                out.line("");
                out.table(StatTables.DISK_HEADERS, StatTables.diskRows(r));
            }
            r.notes().forEach(n -> out.line(r.domain() + ": " + n));
            // a blank line between blocks; the command's end adds the last one
            if (more || i < rates.size() - 1) {
                out.line("");
            }
        }
        out.out().flush();
    }

    /** A sample's document after its time and interval. */
    private void document(List<DomainRates> rates, ObjectNode doc) {
        ArrayNode domains = doc.putArray("domains");
        for (DomainRates r : rates) {
            ObjectNode d = domains.addObject();
            d.put("domain", r.domain());
            d.put("seconds", r.seconds());
            ArrayNode groupList = d.putArray("groups");
            for (GroupUsage g : r.groups()) {
                ObjectNode o = groupList.addObject();
                o.put("group", g.group());
                g.disks().forEach(o.putArray("disks")::add);
                ArrayNode limits = o.putArray("limits");
                for (GroupUsage.Limit l : g.limits()) {
                    limits.addObject()
                            .put("limit", l.field().xmlName())
                            .put("value", l.limit())
                            .put("rate", l.rate())
                            .put("percent", l.percent());
                }
            }
            ArrayNode diskList = d.putArray("disks");
            for (DiskRate disk : r.disks()) {
                ObjectNode o = diskList.addObject();
                o.put("target", disk.target());
                disk.chain().forEach(o.putArray("groups")::add);
                o.put("read_iops", disk.readOps())
                        .put("write_iops", disk.writeOps())
                        .put("read_bytes_sec", disk.readBytes())
                        .put("write_bytes_sec", disk.writeBytes())
                        .put("note", disk.note());
            }
            r.notes().forEach(d.putArray("notes")::add);
        }
    }

    private void printTier(TierUsage usage, boolean more) {
        Output out = output();
        String time = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        out.line(String.format(Locale.ROOT, "tier %s: %.2f s to %s", usage.tier(), usage.seconds(), time));
        out.table(StatTables.TIER_HEADERS, StatTables.tierRows(usage));
        if (!usage.members().isEmpty()) {
            out.line("");
            out.table(StatTables.MEMBER_HEADERS, StatTables.memberRows(usage));
        } else {
            out.line("tier " + usage.tier() + ": no running member");
        }
        usage.notes().forEach(out::line);
        if (more) {
            out.line("");
        }
        out.out().flush();
    }

    /** A tier sample's document after its time and interval. */
    private void tierDocument(TierUsage usage, ObjectNode doc) {
        doc.put("tier", usage.tier());
        doc.put("seconds", usage.seconds());
        ArrayNode rates = doc.putArray("rates");
        for (TierUsage.Rate r : usage.rates()) {
            rates.addObject()
                    .put("limit", r.field().xmlName())
                    .put("budget", r.budget())
                    .put("rate", r.rate())
                    .put("percent", r.percent());
        }
        ArrayNode members = doc.putArray("members");
        for (TierUsage.Member m : usage.members()) {
            ObjectNode member = members.addObject().put("domain", m.domain()).put("group", m.group());
            ArrayNode limits = member.putArray("limits");
            for (TierUsage.Share s : m.shares()) {
                ObjectNode o = limits.addObject().put("limit", s.field().xmlName());
                if (s.known()) {
                    o.put("share", s.share());
                } else {
                    o.putNull("share");
                }
                o.put("rate", s.rate());
                s.percent().ifPresentOrElse(p -> o.put("percent", p), () -> o.putNull("percent"));
                o.put("backlogged", s.backlogged());
                s.demand().ifPresentOrElse(d -> o.put("demand", d), () -> o.putNull("demand"));
            }
        }
        usage.notes().forEach(doc.putArray("notes")::add);
    }
}
