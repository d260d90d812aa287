package org.virtthrottle.state;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.virtthrottle.model.Tier;

/**
 * A whole desired-state file: the host's tier budgets it declares ({@code tiers:}, the tiers file's
 * shape) and its domains' entries. Knows the line of each tier, so errors found later can name it.
 */
public record DesiredState(String source, List<Tier> tiers, Map<String, Integer> tierLines, List<DomainState> domains) {
    public DesiredState {
        tiers = List.copyOf(tiers);
        tierLines = Map.copyOf(tierLines);
        domains = List.copyOf(domains);
    }

    public Optional<Tier> tier(String name) {
        return tiers.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** "FILE line N: tiers.NAME", for an error about a tier the file declares ("FILE" for another). */
    public String where(String tier) {
        Integer line = tierLines.get(tier);
        return line == null ? source : source + " line " + line + ": tiers." + tier;
    }

    /** Whether the file has anything to do with tiers: budgets, or member groups. */
    public boolean hasTiers() {
        return !tiers.isEmpty() || domains.stream().anyMatch(d -> !d.tiers().isEmpty());
    }

    /** The same file with only these of its domains. */
    public DesiredState withDomains(List<DomainState> selected) {
        return new DesiredState(source, tiers, tierLines, selected);
    }
}
