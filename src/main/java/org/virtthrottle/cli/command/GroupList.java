package org.virtthrottle.cli.command;

import java.util.Arrays;
import java.util.List;
import org.virtthrottle.app.UsageException;
import org.virtthrottle.model.FilterChain;

/** A comma-separated group list (--throttle-groups a,b); the use case checks it as a chain, in its own words. */
public final class GroupList {
    private GroupList() {}

    /** Null (option absent) gives an empty chain; an empty or ",,"-holed list is an error. */
    static FilterChain parse(String text, String option) {
        if (text == null) {
            return FilterChain.NONE;
        }
        if (text.isEmpty()) {
            throw new UsageException("Failed to get option '" + option + "': Option argument is empty");
        }
        List<String> groups = Arrays.asList(text.split(",", -1));
        if (groups.contains("")) {
            throw new UsageException("empty group name in --" + option + " '" + text + "'");
        }
        return new FilterChain(groups);
    }
}
