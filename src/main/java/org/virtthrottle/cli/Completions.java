package org.virtthrottle.cli;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * What can come next on a command line, from the picocli model (commands, options) and from
 * libvirt (domains, groups, disk targets), as the shell's TAB and bash completion offer it.
 */
final class Completions {
    /** Names that only libvirt knows; each lookup may fail, and then offers nothing. */
    interface LiveNames {
        List<String> domains();

        List<String> groups(String domain, boolean inactive);

        List<String> targets(String domain, boolean inactive);
    }

    /** Option values worth offering that the model does not list. */
    private static final Map<String, List<String>> VALUES = Map.of(
            "--targetbus", List.of("virtio", "scsi", "sata", "ide", "usb"),
            "--subdriver", List.of("raw", "qcow2"),
            "--driver", List.of("qemu"),
            "--type", List.of("disk", "cdrom", "floppy", "lun"),
            "--mode", List.of("readonly", "shareable"),
            "--sourcetype", List.of("file", "block", "network"),
            "--cache", List.of("default", "none", "writethrough", "writeback", "directsync", "unsafe"),
            "--io", List.of("native", "threads", "io_uring"),
            "--source-protocol", List.of("nbd", "rbd", "iscsi", "http", "https", "ftp", "ftps", "tftp", "gluster", "sheepdog", "vxhs", "nfs", "ssh"),
            "--source-host-transport", List.of("tcp", "rdma", "unix"));

    /** Connection URIs offered after -c besides $LIBVIRT_DEFAULT_URI: libvirt's usual QEMU ones. */
    static final List<String> USUAL_URIS = List.of("qemu:///system", "qemu:///session");

    private final CommandLine root;
    private final Function<String, LiveNames> liveNamesFor;
    private final List<String> shellWords;
    private final String defaultUri;

    /**
     * @param liveNamesFor libvirt lookups for a connection URI (null: the default one)
     * @param shellWords words that exist only in the shell (quit, exit), offered as commands
     * @param defaultUri $LIBVIRT_DEFAULT_URI (null when unset), offered first after -c
     */
    Completions(CommandLine root, Function<String, LiveNames> liveNamesFor, List<String> shellWords, String defaultUri) {
        this.root = root;
        this.liveNamesFor = liveNamesFor;
        this.shellWords = shellWords;
        this.defaultUri = defaultUri;
    }

    /**
     * Candidates for the last word of {@code words} (possibly empty), given the words before it:
     * global options, then the command name, its options and arguments.
     */
    List<String> complete(List<String> words) {
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
            return values(pending, current);
        }
        if (i == before.size()) {
            if (current.startsWith("-") && current.contains("=")) {
                return inlineValues(rootSpec, current);
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
        List<String> positionals = new ArrayList<>();
        Set<String> options = new LinkedHashSet<>();
        OptionSpec pending = null;
        for (String w : args) {
            if (pending != null) {
                uri = isConnect(pending) ? w : uri;
                pending = null;
            } else if (w.startsWith("-") && w.length() > 1) {
                options.add(w);
                pending = takesValue(spec, w);
                uri = connectValue(spec, w).orElse(uri);
            } else {
                positionals.add(w);
            }
        }
        String domain = positionals.isEmpty() ? null : positionals.get(0);
        boolean inactive = options.contains("--inactive") || (options.contains("--config") && !options.contains("--live"));
        if (pending != null) {
            if (pending.longestName().equals("--throttle-groups")) {
                return groupList(live(uri).groups(domain, inactive), current);
            }
            return values(pending, current);
        }
        if (current.startsWith("-") && current.contains("=")) {
            return inlineValues(spec, current);
        }
        if (current.startsWith("-")) {
            return matching(optionNames(spec), current);
        }
        List<PositionalParamSpec> params = spec.positionalParameters();
        if (positionals.size() >= params.size()) {
            return List.of();
        }
        String label = params.get(positionals.size()).paramLabel();
        return switch (label) {
            case "DOMAIN" -> matching(live(uri).domains(), current);
            case "GROUP" -> matching(live(uri).groups(domain, inactive), current);
            case "GROUPS" -> groupList(live(uri).groups(domain, inactive), current);
            case "TARGET" -> spec.name().equals("attach-disk") ? List.of() : matching(live(uri).targets(domain, inactive), current);
            case "SOURCE" -> files(current);
            case "COMMAND" -> matching(commandNames(), current);
            case "URI" -> uris(current);
            default -> List.of();
        };
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

    /** Candidates for the value of {@code option} (URIs, file names, the known values). */
    private List<String> values(OptionSpec option, String current) {
        if (isConnect(option)) {
            return uris(current);
        }
        if (option.longestName().equals("--file")) {
            return files(current);
        }
        return matching(VALUES.getOrDefault(option.longestName(), List.of()), current);
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

    /** {@code --option=partial}: the option's values, each with the {@code --option=} in front. */
    private List<String> inlineValues(CommandSpec spec, String current) {
        int equals = current.indexOf('=');
        OptionSpec option = spec.findOption(current.substring(0, equals));
        if (option == null || isFlag(option)) {
            return List.of();
        }
        String head = current.substring(0, equals + 1);
        return values(option, current.substring(equals + 1)).stream().map(v -> head + v).toList();
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
