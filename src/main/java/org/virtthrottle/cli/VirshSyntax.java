package org.virtthrottle.cli;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.virtthrottle.app.UsageException;
import org.virtthrottle.cli.command.EmptyAllowed;
import org.virtthrottle.cli.command.NamedForm;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Reads one command's words as virsh does, with virsh's error texts, and writes them in the form
 * picocli reads: the options, then "--" and the positional values in their order. As in virsh,
 * every positional also has a named form ({@code --domain web}), data fills the first positional
 * not given yet, a word starting with "--" is an option of the command (after "--" all is data), a
 * value may follow its option or be attached with '='.
 */
public final class VirshSyntax {
    private VirshSyntax() {}

    /** A positional argument and the values given for it. */
    private static final class Slot {
        final PositionalParamSpec param;
        final NamedForm form;
        final List<String> values = new ArrayList<>();

        Slot(PositionalParamSpec param) {
            this.param = param;
            this.form = param.userObject() instanceof Field f ? f.getAnnotation(NamedForm.class) : null;
        }

        String name() {
            return form != null ? form.value() : param.paramLabel().toLowerCase(Locale.ROOT);
        }

        boolean repeats() {
            return param.arity().max() > 1;
        }

        boolean full() {
            return !repeats() && !values.isEmpty();
        }
    }

    /**
     * @param command the command's model (its own and its inherited options)
     * @param name the command's name as typed, for the error texts
     * @param words the words after the command's name
     * @throws UsageException with virsh's text when the words do not fit the command
     */
    static List<String> canonical(CommandSpec command, String name, List<String> words) {
        List<Slot> slots =
                command.positionalParameters().stream().map(Slot::new).toList();
        List<String> options = new ArrayList<>();
        Set<Object> seen = new HashSet<>();
        boolean dataOnly = false;
        boolean helpAsked = false;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (dataOnly || !word.startsWith("-") || word.length() == 1) {
                fill(freeSlot(slots, word), word);
                continue;
            }
            if (word.equals("--")) {
                dataOnly = true;
                continue;
            }
            if (!word.startsWith("--")) {
                // a short option (-c URI, -q, -rq, ...); anything else is data, as in virsh ("-1", "-x")
                OptionSpec shortOption = command.findOption(word);
                if (shortOption != null) {
                    helpAsked |= shortOption.usageHelp() || shortOption.versionHelp();
                    options.add(word);
                    if (takesValue(shortOption)) {
                        if (i + 1 >= words.size()) {
                            throw new UsageException("expected syntax: " + word + " <" + valueKind(shortOption) + ">");
                        }
                        options.add(words.get(++i));
                    }
                } else if (isFlagCluster(command, word)) {
                    options.add(word);
                } else {
                    fill(freeSlot(slots, word), word);
                }
                continue;
            }
            int equals = word.indexOf('=');
            String optionName = equals < 0 ? word.substring(2) : word.substring(2, equals);
            String attached = equals < 0 ? null : word.substring(equals + 1);
            Slot slot = named(slots, optionName);
            OptionSpec option = slot != null ? null : command.findOption("--" + optionName);
            if (slot == null && option == null) {
                throw new UsageException("command '" + name + "' doesn't support option --" + optionName);
            }
            if (option != null && !takesValue(option)) {
                if (attached != null) {
                    throw new UsageException("invalid '=' after option --" + optionName);
                }
                once(seen, option, optionName);
                helpAsked |= option.usageHelp() || option.versionHelp();
                options.add(word);
                continue;
            }
            if (slot != null && slot.full()) {
                throw new UsageException("option --" + optionName + " already seen");
            }
            String value = attached;
            if (value == null) {
                if (i + 1 >= words.size()) {
                    throw new UsageException("expected syntax: --" + optionName + " <" + valueKind(option) + ">");
                }
                value = words.get(++i);
            }
            if (slot != null) {
                fill(slot, value);
                continue;
            }
            once(seen, option, optionName);
            if (value.isEmpty()
                    && !option.inherited()
                    && valueKind(option).equals("string")
                    && !(option.userObject() instanceof Field f && f.isAnnotationPresent(EmptyAllowed.class))) {
                throw empty(optionName);
            }
            // attached, so that a value starting with "-" is never taken for an option
            options.add("--" + optionName + "=" + value);
        }
        if (!helpAsked) {
            for (Slot slot : slots) {
                if (slot.param.arity().min() > 0 && slot.values.isEmpty()) {
                    throw new UsageException("command '" + name + "' requires <" + slot.name() + "> option");
                }
            }
        }
        List<String> canonical = new ArrayList<>(options);
        canonical.add("--");
        slots.forEach(s -> canonical.addAll(s.values));
        return canonical;
    }

    /** The first positional still free; for data with nowhere to go: virsh's "unexpected data". */
    private static Slot freeSlot(List<Slot> slots, String word) {
        for (Slot slot : slots) {
            if (!slot.full()) {
                return slot;
            }
        }
        throw new UsageException("unexpected data '" + word + "'");
    }

    private static void fill(Slot slot, String value) {
        if (value.isEmpty() && (slot.form == null || !slot.form.emptyAllowed())) {
            throw empty(slot.name());
        }
        slot.values.add(value);
    }

    private static Slot named(List<Slot> slots, String name) {
        for (Slot slot : slots) {
            if (slot.form != null && slot.form.value().equals(name)) {
                return slot;
            }
        }
        return null;
    }

    private static void once(Set<Object> seen, OptionSpec option, String name) {
        boolean repeatable = option.isMultiValue();
        if (!seen.add(option) && !repeatable) {
            throw new UsageException("option --" + name + " already seen");
        }
    }

    private static UsageException empty(String name) {
        return new UsageException("Failed to get option '" + name + "': Option argument is empty");
    }

    private static boolean takesValue(OptionSpec option) {
        return option.arity().max() > 0;
    }

    /** "number" or "string", as virsh's "expected syntax" names it; from labels such as {@code <number>}. */
    private static String valueKind(OptionSpec option) {
        return option != null && option.paramLabel().equals("<number>") ? "number" : "string";
    }

    /** -rq: short flags written together, as getopt allows. */
    private static boolean isFlagCluster(CommandSpec command, String word) {
        for (int i = 1; i < word.length(); i++) {
            OptionSpec option = command.findOption("-" + word.charAt(i));
            if (option == null || takesValue(option)) {
                return false;
            }
        }
        return true;
    }
}
