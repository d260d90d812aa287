package org.virtthrottle.cli.completion;

import java.io.File;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.cli.command.NamedForm;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * What can come next on a command line, from the picocli model (commands, options) and from
 * libvirt (domains, groups, disk targets), as the shell's TAB and bash completion offer it.
 */
public final class Completions {
    /** Names that only libvirt knows; each lookup may fail, and then offers nothing. */
    public interface LiveNames {
        List<String> domains();

        List<String> groups(String domain, boolean inactive);

        List<String> targets(String domain, boolean inactive);
    }

    /** Connection URIs offered after -c besides $LIBVIRT_DEFAULT_URI: libvirt's usual QEMU ones. */
    public static final List<String> USUAL_URIS = List.of("qemu:///system", "qemu:///session");

    private final CommandLine root;
    private final Function<String, LiveNames> liveNamesFor;
    private final Supplier<List<String>> tierNames;
    private final List<String> shellWords;
    private final String defaultUri;

    /**
     * @param liveNamesFor libvirt lookups for a connection URI (null: the default one)
     * @param tierNames the host's tiers, read when a tier is completed
     * @param shellWords words that exist only in the shell (quit, exit), offered as commands
     * @param defaultUri $LIBVIRT_DEFAULT_URI (null when unset), offered first after -c
     */
    public Completions(
            CommandLine root,
            Function<String, LiveNames> liveNamesFor,
            Supplier<List<String>> tierNames,
            List<String> shellWords,
            String defaultUri) {
        this.root = root;
        this.liveNamesFor = liveNamesFor;
        this.tierNames = tierNames;
        this.shellWords = shellWords;
        this.defaultUri = defaultUri;
    }

    /**
     * Candidates for the last word of {@code words} (possibly empty), given the words before it:
     * global options, then the command name, its options and arguments.
     */
    public List<String> complete(List<String> words) {
        List<String> before = words.isEmpty() ? List.of() : words.subList(0, words.size() - 1);
        String current = words.isEmpty() ? "" : words.get(words.size() - 1);
        String uri = null;
        int i = 0;
        OptionSpec pending = null;
        CommandSpec rootSpec = root.getCommandSpec();
        for (; i < before.size(); i++) {
            String w = before.get(i);
            if (pending != null) {
                uri = isConnect(pending) ? w : uri;
                pending = null;
            } else if (w.startsWith("-")) {
                pending = takesValue(rootSpec, w);
                uri = connectValue(rootSpec, w).orElse(uri);
            } else {
                break;
            }
        }
        if (pending != null) {
            return candidates(pending, current, uri, null, false);
        }
        if (i == before.size()) {
            if (current.startsWith("-") && current.contains("=")) {
                int equals = current.indexOf('=');
                OptionSpec option = rootSpec.findOption(current.substring(0, equals));
                String head = current.substring(0, equals + 1);
                return option == null || isFlag(option)
                        ? List.of()
                        : candidates(option, current.substring(equals + 1), uri, null, false).stream()
                                .map(v -> head + v)
                                .toList();
            }
            if (current.startsWith("-")) {
                return matching(optionNames(rootSpec), current);
            }
            List<String> commands = new ArrayList<>(commandNames());
            commands.addAll(shellWords);
            return matching(commands, current);
        }
        CommandLine command = root.getSubcommands().get(before.get(i));
        if (command == null) {
            return List.of();
        }
        return completeArgument(command.getCommandSpec(), before.subList(i + 1, before.size()), current, uri);
    }

    private List<String> completeArgument(CommandSpec spec, List<String> args, String current, String uri) {
        List<PositionalParamSpec> params = spec.positionalParameters();
        // what the line has given each positional so far, by position or by its named form (--domain web)
        Map<PositionalParamSpec, String> given = new java.util.LinkedHashMap<>();
        Set<String> options = new LinkedHashSet<>();
        ArgSpec pending = null;
        for (String w : args) {
            if (pending != null) {
                uri = pending instanceof OptionSpec o && isConnect(o) ? w : uri;
                if (pending instanceof PositionalParamSpec p) {
                    given.put(p, w);
                }
                pending = null;
            } else if (w.startsWith("--") && namedPositional(spec, w).isPresent()) {
                pending = namedPositional(spec, w).get();
            } else if (w.startsWith("-") && w.length() > 1) {
                options.add(w);
                pending = takesValue(spec, w);
                uri = connectValue(spec, w).orElse(uri);
            } else {
                nextPositional(params, given).ifPresent(p -> given.put(p, w));
            }
        }
        String domain = given.entrySet().stream()
                .filter(e -> kind(e.getKey())
                        .filter(k -> k.value() == CompletedWith.Names.DOMAIN)
                        .isPresent())
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
        boolean inactive =
                options.contains("--inactive") || (options.contains("--config") && !options.contains("--live"));
        if (pending != null) {
            return candidates(pending, current, uri, domain, inactive);
        }
        if (current.startsWith("-") && current.contains("=")) {
            int equals = current.indexOf('=');
            String name = current.substring(0, equals);
            ArgSpec arg = namedPositional(spec, name).map(ArgSpec.class::cast).orElse(spec.findOption(name));
            if (arg == null || isFlag(arg)) {
                return List.of();
            }
            String head = current.substring(0, equals + 1);
            return candidates(arg, current.substring(equals + 1), uri, domain, inactive).stream()
                    .map(v -> head + v)
                    .toList();
        }
        if (current.startsWith("-")) {
            List<String> names = new ArrayList<>(optionNames(spec));
            params.stream()
                    .filter(p -> !given.containsKey(p))
                    .map(Completions::namedForm)
                    .flatMap(Optional::stream)
                    .forEach(n -> names.add("--" + n));
            return matching(names, current);
        }
        Optional<PositionalParamSpec> next = nextPositional(params, given);
        return next.isEmpty() ? List.of() : candidates(next.get(), current, uri, domain, inactive);
    }

    /** The first positional the line has not given yet (a varargs one takes any number). */
    private static Optional<PositionalParamSpec> nextPositional(
            List<PositionalParamSpec> params, Map<PositionalParamSpec, String> given) {
        return params.stream()
                .filter(p -> !given.containsKey(p) || p.arity().max() > 1)
                .findFirst();
    }

    /** The positional whose virsh name the word is ({@code --domain}), if any. */
    private static Optional<PositionalParamSpec> namedPositional(CommandSpec spec, String word) {
        return spec.positionalParameters().stream()
                .filter(p -> namedForm(p).map(n -> word.equals("--" + n)).orElse(false))
                .findFirst();
    }

    private static Optional<String> namedForm(ArgSpec arg) {
        return arg.userObject() instanceof Field f && f.getAnnotation(NamedForm.class) != null
                ? Optional.of(f.getAnnotation(NamedForm.class).value())
                : Optional.empty();
    }

    /** The completer bound to an argument or option where it is declared. */
    private static Optional<CompletedWith> kind(ArgSpec arg) {
        return arg.userObject() instanceof Field f
                ? Optional.ofNullable(f.getAnnotation(CompletedWith.class))
                : Optional.empty();
    }

    /** Candidates for a value of {@code arg}, from the completer bound to it. */
    private List<String> candidates(ArgSpec arg, String current, String uri, String domain, boolean inactive) {
        Optional<CompletedWith> completer = kind(arg);
        if (completer.isEmpty()) {
            return List.of();
        }
        return switch (completer.get().value()) {
            case DOMAIN -> matching(live(uri).domains(), current);
            case GROUP -> matching(live(uri).groups(domain, inactive), current);
            case GROUP_LIST -> groupList(live(uri).groups(domain, inactive), current);
            case TARGET -> matching(live(uri).targets(domain, inactive), current);
            case FILE -> files(current);
            case COMMAND -> matching(commandNames(), current);
            case URI -> uris(current);
            case VALUES -> matching(List.of(completer.get().values()), current);
            case TIER -> matching(tiers(), current);
        };
    }

    /** None from a tiers file that cannot be used: TAB offers nothing, the command then says why. */
    private List<String> tiers() {
        try {
            return tierNames.get();
        } catch (VirtThrottleException e) {
            return List.of();
        }
    }

    private LiveNames live(String uri) {
        return liveNamesFor.apply(uri);
    }

    /** Completes the part after the last comma, leaving out groups already listed. */
    private static List<String> groupList(List<String> groups, String current) {
        int comma = current.lastIndexOf(',');
        String head = current.substring(0, comma + 1);
        Set<String> listed = new LinkedHashSet<>(Arrays.asList(head.split(",")));
        List<String> candidates = new ArrayList<>();
        for (String g : groups) {
            if (!listed.contains(g)) {
                candidates.add(head + g);
            }
        }
        return matching(candidates, current);
    }

    private static List<String> files(String current) {
        int slash = current.lastIndexOf('/');
        String dir = slash < 0 ? "" : current.substring(0, slash + 1);
        File[] entries = new File(dir.isEmpty() ? "." : dir).listFiles();
        List<String> names = new ArrayList<>();
        if (entries != null) {
            for (File f : entries) {
                names.add(dir + f.getName() + (f.isDirectory() ? "/" : ""));
            }
        }
        names.sort(null);
        return matching(names, current);
    }

    private List<String> commandNames() {
        List<String> names = new ArrayList<>();
        root.getSubcommands().forEach((name, cl) -> {
            if (!cl.getCommandSpec().usageMessage().hidden()) {
                names.add(name);
            }
        });
        return names;
    }

    private static List<String> optionNames(CommandSpec spec) {
        List<String> names = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (!o.hidden()) {
                for (String n : o.names()) {
                    if (n.startsWith("--") && !n.contains("_")) {
                        names.add(n);
                    }
                }
            }
        }
        return names;
    }

    /** The option named by a word, when it takes a value as the next word; else null. */
    private static OptionSpec takesValue(CommandSpec spec, String word) {
        if (word.contains("=")) {
            return null;
        }
        OptionSpec o = spec.findOption(word);
        return o != null && !isFlag(o) ? o : null;
    }

    private static boolean isFlag(ArgSpec arg) {
        return arg.type() == boolean.class || arg.type() == Boolean.class;
    }

    /** $LIBVIRT_DEFAULT_URI, then libvirt's usual QEMU URIs. */
    private List<String> uris(String current) {
        List<String> uris = new ArrayList<>();
        if (defaultUri != null && !defaultUri.isEmpty()) {
            uris.add(defaultUri);
        }
        uris.addAll(USUAL_URIS);
        return matching(uris, current);
    }

    private static boolean isConnect(OptionSpec option) {
        return option.longestName().equals("--connect");
    }

    /** The URI of a {@code --connect=URI} word. */
    private static Optional<String> connectValue(CommandSpec spec, String word) {
        int equals = word.indexOf('=');
        if (equals < 0) {
            return Optional.empty();
        }
        OptionSpec option = spec.findOption(word.substring(0, equals));
        return option != null && isConnect(option) ? Optional.of(word.substring(equals + 1)) : Optional.empty();
    }

    private static List<String> matching(List<String> candidates, String prefix) {
        return candidates.stream().filter(c -> c.startsWith(prefix)).distinct().toList();
    }
}
