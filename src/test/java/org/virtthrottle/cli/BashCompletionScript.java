package org.virtthrottle.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Writes completions/virt-throttle.bash from the picocli model: command names and each command's
 * options are listed in the script (no JVM start for them); domains, groups, targets and group
 * lists come live from the hidden `virt-throttle complete` command.
 */
final class BashCompletionScript {
    private BashCompletionScript() {
    }

    static String generate() {
        CliContext context = new CliContext(new Output(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), null);
        CommandLine root = new Cli(context).commandLine();
        List<String> commands = new ArrayList<>();
        Map<String, List<String>> optionsByCommand = new TreeMap<>();
        root.getSubcommands().forEach((name, cl) -> {
            CommandSpec spec = cl.getCommandSpec();
            if (!spec.usageMessage().hidden()) {
                commands.add(name);
                optionsByCommand.computeIfAbsent(spec.name(), k -> new ArrayList<>(List.of(spec.name()))).add(name);
            }
        });
        StringBuilder b = new StringBuilder();
        b.append("# bash completion for virt-throttle\n")
                .append("# Generated from virt-throttle's picocli model by BashCompletionScriptTest; do not edit.\n")
                .append("# Regenerate: mvn -q -B test -DexcludedGroups=integration -Dtest=BashCompletionScriptTest -Dregenerate=true\n")
                .append("# Commands and options are listed here; domains, throttle groups, disk targets and group lists\n")
                .append("# come live from libvirt through the hidden 'virt-throttle complete' command.\n\n")
                .append("_virt_throttle() {\n")
                .append("    local cur=${COMP_WORDS[COMP_CWORD]} line=${COMP_LINE:0:COMP_POINT} cmd= skip= i w opts\n")
                .append("    for ((i = 1; i < COMP_CWORD; i++)); do\n")
                .append("        w=${COMP_WORDS[i]}\n")
                .append("        if [[ -n $skip ]]; then skip=; continue; fi\n")
                .append("        case $w in\n")
                .append("            ").append(String.join("|", valueOptions(root.getCommandSpec()))).append(") skip=1 ;;\n")
                .append("            -*) ;;\n")
                .append("            *) cmd=$w; break ;;\n")
                .append("        esac\n")
                .append("    done\n")
                .append("    case $cmd in\n")
                .append("        '') opts='").append(String.join(" ", optionNames(root.getCommandSpec()))).append("'\n")
                .append("            if [[ $cur != -* ]]; then\n")
                .append("                COMPREPLY=($(compgen -W '").append(String.join(" ", commands)).append("' -- \"$cur\"))\n")
                .append("                return\n")
                .append("            fi ;;\n");
        optionsByCommand.forEach((name, names) -> {
            CommandSpec spec = root.getSubcommands().get(name).getCommandSpec();
            b.append("        ").append(String.join("|", names.subList(1, names.size()))).append(") opts='")
                    .append(String.join(" ", optionNames(spec))).append("' ;;\n");
        });
        b.append("        *) return ;;\n")
                .append("    esac\n")
                .append("    if [[ $cur == -* ]]; then\n")
                .append("        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n")
                .append("        return\n")
                .append("    fi\n")
                .append("    local IFS=$'\\n'\n")
                .append("    COMPREPLY=($(\"${COMP_WORDS[0]}\" complete -- \"$line\" 2>/dev/null))\n")
                .append("    # bash splits words at ':' (URIs): offer only what follows the last one\n")
                .append("    local last=${line##*[[:space:]]}\n")
                .append("    if [[ $last == *:* ]]; then\n")
                .append("        COMPREPLY=(\"${COMPREPLY[@]#\"${last%\"${last##*:}\"}\"}\")\n")
                .append("    fi\n")
                .append("    # nothing live (e.g. a SOURCE path): fall back to file names\n")
                .append("    [[ ${#COMPREPLY[@]} -eq 0 ]] && compopt -o default 2>/dev/null\n")
                .append("    return 0\n")
                .append("}\n")
                .append("complete -F _virt_throttle virt-throttle\n");
        return b.toString();
    }

    private static List<String> optionNames(CommandSpec spec) {
        List<String> names = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (!o.hidden()) {
                for (String n : o.names()) {
                    if (!n.contains("_")) {
                        names.add(n);
                    }
                }
            }
        }
        return names;
    }

    /** Global options whose value is the next word (so it is not taken for the command). */
    private static List<String> valueOptions(CommandSpec spec) {
        List<String> names = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (o.arity().max() > 0 && o.type() != boolean.class) {
                names.addAll(List.of(o.names()));
            }
        }
        return names;
    }
}
