package org.virtthrottle.plan;

import java.util.ArrayList;
import java.util.List;

/** An ordered list of steps; applied in order, undone in reverse. */
public record Plan(List<Step> steps) {
    public Plan {
        steps = List.copyOf(steps);
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    public Plan then(Plan next) {
        List<Step> all = new ArrayList<>(steps);
        all.addAll(next.steps);
        return new Plan(all);
    }

    /** The plan as --dry-run prints it. */
    public String describe() {
        if (steps.isEmpty()) {
            return "nothing to change\n";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            b.append(i + 1).append(". ").append(s.name()).append('\n');
            b.append(indent(s.apply().describe(), "   ")).append('\n');
            if (s.undo() != null) {
                b.append(indent("undo: " + s.undo().describe(), "   ")).append('\n');
            }
        }
        return b.toString();
    }

    private static String indent(String text, String prefix) {
        return prefix + text.replace("\n", "\n" + prefix + "  ");
    }
}
