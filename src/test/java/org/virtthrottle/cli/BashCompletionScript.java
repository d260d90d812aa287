package org.virtthrottle.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.virtthrottle.cli.command.NamedForm;
import org.virtthrottle.cli.completion.Completions;
import org.virtthrottle.cli.output.Output;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Writes completions/virt-throttle.bash from the picocli model: command names and each command's
 * options are listed in the script (no JVM start for them); domains, groups, targets and group
 * lists come live from the hidden `virt-throttle complete` command.
 */
final class BashCompletionScript {
    private BashCompletionScript() {}

    static String generate() {
        CliContext context = Main.context(
                new Output(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), null);
        CommandLine root = new Cli(context).commandLine();
        List<String> commands = new ArrayList<>();
        Map<String, List<String>> optionsByCommand = new TreeMap<>();
        root.getSubcommands().forEach((name, cl) -> {
            CommandSpec spec = cl.getCommandSpec();
            if (!spec.usageMessage().hidden()) {
                commands.add(name);
                optionsByCommand
                        .computeIfAbsent(spec.name(), k -> new ArrayList<>(List.of(spec.name())))
                        .add(name);
            }
        });
        StringBuilder perCommand = new StringBuilder();
        optionsByCommand.forEach((name, names) -> {
            CommandSpec spec = root.getSubcommands().get(name).getCommandSpec();
            perCommand
                    .append("        ")
                    .append(String.join("|", names.subList(1, names.size())))
                    .append(") opts='")
                    .append(String.join(" ", optionNames(spec)))
                    .append("' ;;\n");
        });
        CommandSpec rootSpec = root.getCommandSpec();
        return TEMPLATE.replace("@VALUE_OPTIONS@", String.join("|", valueOptions(rootSpec)))
                .replace(
                        "@CONNECT_OPTIONS@",
                        String.join("|", rootSpec.findOption("--connect").names()))
                .replace("@CONNECT_LONG@", rootSpec.findOption("--connect").longestName())
                .replace(
                        "@FILE_OPTIONS@",
                        String.join("|", rootSpec.findOption("--file").names()))
                .replace("@USUAL_URIS@", String.join(" ", Completions.USUAL_URIS))
                .replace("@ROOT_OPTIONS@", String.join(" ", optionNames(rootSpec)))
                .replace("@COMMANDS@", String.join(" ", commands))
                .replace("@PER_COMMAND_OPTIONS@\n", perCommand);
    }

    private static final String TEMPLATE =
            """
            # bash completion for virt-throttle
            # Generated from virt-throttle's picocli model by the build (GeneratedFiles); do not edit.
            # Regenerate: mvn -q -B process-test-classes -Dgenerated.files=.
            # Commands, options and connection URIs are listed here; domains, throttle groups, disk targets
            # and group lists come live from libvirt through the hidden 'virt-throttle complete' command, on
            # the connection the line names (-c URI, --connect URI, --connect=URI; else the default one).
            # Works with and without the bash-completion package.

            # What `_init_completion -n =:` of bash-completion gives, for a bash without it: bash splits
            # words at COMP_WORDBREAKS (the ':' of URIs, the '=' of --option=value); glue back together
            # the pieces that have no blank between them on the line.
            _virt_throttle_words() {
                local rest=${COMP_LINE:0:COMP_POINT} blank piece i
                words=() cword=0
                for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
                    piece=${COMP_WORDS[i]}
                    blank=${rest%%[![:space:]]*}
                    rest=${rest#"$blank"}
                    if ((i > 0)) && [[ -z $blank ]]; then
                        words[${#words[@]} - 1]+=$piece
                    else
                        words+=("$piece")
                    fi
                    rest=${rest#"$piece"}
                    ((i == COMP_CWORD)) && cword=$((${#words[@]} - 1))
                done
            }

            # bash replaces only the part of the word after its last COMP_WORDBREAKS character (':' or
            # '='): cut what comes before it off every candidate, as __ltrim_colon_completions does for ':'.
            _virt_throttle_ltrim() {
                local word=$1 i
                for ((i = ${#word}; i > 0; i--)); do
                    case ${word:i-1:1} in
                        :|=) [[ $COMP_WORDBREAKS == *"${word:i-1:1}"* ]] && break ;;
                    esac
                done
                ((i > 0)) && COMPREPLY=("${COMPREPLY[@]#"${word:0:i}"}")
            }

            _virt_throttle() {
                local cur prev words cword
                if declare -F _init_completion >/dev/null; then
                    _init_completion -n =: || return
                else
                    _virt_throttle_words
                    cur=${words[cword]} prev=
                    ((cword > 0)) && prev=${words[cword - 1]}
                fi
                local uris="$LIBVIRT_DEFAULT_URI @USUAL_URIS@"
                case $prev in
                    @CONNECT_OPTIONS@) COMPREPLY=($(compgen -W "$uris" -- "$cur")); _virt_throttle_ltrim "$cur"; return ;;
                    @FILE_OPTIONS@) COMPREPLY=(); compopt -o default; return ;;
                esac
                if [[ $cur == @CONNECT_LONG@=* ]]; then
                    COMPREPLY=($(compgen -P @CONNECT_LONG@= -W "$uris" -- "${cur#*=}"))
                    _virt_throttle_ltrim "$cur"
                    return
                fi
                local i cmd= opts
                for ((i = 1; i < cword; i++)); do
                    case ${words[i]} in
                        @VALUE_OPTIONS@) ((i++)) ;;
                        -*) ;;
                        *) cmd=${words[i]}; break ;;
                    esac
                done
                case $cmd in
                    '') opts='@ROOT_OPTIONS@'
                        if [[ $cur != -* ]]; then
                            COMPREPLY=($(compgen -W '@COMMANDS@' -- "$cur"))
                            return
                        fi ;;
            @PER_COMMAND_OPTIONS@
                    *) return ;;
                esac
                if [[ $cur == -* ]]; then
                    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
                    return
                fi
                local IFS=$'\\n'
                COMPREPLY=($("${words[0]}" complete -- "${COMP_LINE:0:COMP_POINT}" 2>/dev/null))
                _virt_throttle_ltrim "$cur"
                # names and paths as file names are: quoted when needed, no blank after a directory
                compopt -o filenames
                # nothing live (e.g. a SOURCE path the line spells with ~): readline's own file names
                ((${#COMPREPLY[@]})) || compopt -o default
                return 0
            }
            complete -F _virt_throttle virt-throttle
            """;

    /** The command's options, then virsh's named forms of its positionals ({@code --domain}). */
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
        for (var p : spec.positionalParameters()) {
            if (p.userObject() instanceof java.lang.reflect.Field f && f.getAnnotation(NamedForm.class) != null) {
                names.add("--" + f.getAnnotation(NamedForm.class).value());
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
