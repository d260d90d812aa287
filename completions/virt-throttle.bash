# bash completion for virt-throttle
# Generated from virt-throttle's picocli model by BashCompletionScriptTest; do not edit.
# Regenerate: mvn -q -B test -DexcludedGroups=integration -Dtest=BashCompletionScriptTest -Dregenerate=true
# Commands and options are listed here; domains, throttle groups, disk targets and group lists
# come live from libvirt through the hidden 'virt-throttle complete' command.

_virt_throttle() {
    local cur=${COMP_WORDS[COMP_CWORD]} line=${COMP_LINE:0:COMP_POINT} cmd= skip= i w opts
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if [[ -n $skip ]]; then skip=; continue; fi
        case $w in
            -c|--connect|-f|--file) skip=1 ;;
            -*) ;;
            *) cmd=$w; break ;;
        esac
    done
    case $cmd in
        '') opts='-c --connect -r --readonly -q --quiet --debug --dry-run --json -t --timing -h --help -V --version -f --file --stop-on-error --sandbox --install-deps'
            if [[ $cur != -* ]]; then
                COMPREPLY=($(compgen -W 'throttlegroupset domthrottlegroupset throttlegroupdel domthrottlegroupdel throttlegroupinfo domthrottlegroupinfo throttlegrouplist domthrottlegrouplist attach-disk detach-disk throttlefilterset throttlefilterlist reconcile watch migrate-config list connect shell help' -- "$cur"))
                return
            fi ;;
        attach-disk) opts='--dry-run --targetbus --driver --subdriver --iothread --cache --io --type --mode --sourcetype --serial --wwn --alias --address --multifunction --throttle-groups --print-xml --config --live --current --persistent -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version' ;;
        connect) opts='-c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version' ;;
        detach-disk) opts='--dry-run --config --live --current --persistent -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version' ;;
        help) opts='-c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version' ;;
        list) opts='--all --name -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version' ;;
        migrate-config) opts='--dry-run --all -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version' ;;
        reconcile) opts='--dry-run --all -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version' ;;
        shell) opts='-c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version' ;;
        throttlefilterlist) opts='--inactive -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version' ;;
        throttlefilterset) opts='--dry-run --config --live --current --force-reattach -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version' ;;
        throttlegroupdel|domthrottlegroupdel) opts='--dry-run --config --live --current -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version' ;;
        throttlegroupinfo|domthrottlegroupinfo) opts='--inactive -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version' ;;
        throttlegrouplist|domthrottlegrouplist) opts='--inactive -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version' ;;
        throttlegroupset|domthrottlegroupset) opts='--dry-run --config --live --current --total-bytes-sec --read-bytes-sec --write-bytes-sec --total-iops-sec --read-iops-sec --write-iops-sec --total-bytes-sec-max --read-bytes-sec-max --write-bytes-sec-max --total-iops-sec-max --read-iops-sec-max --write-iops-sec-max --size-iops-sec --total-bytes-sec-max-length --read-bytes-sec-max-length --write-bytes-sec-max-length --total-iops-sec-max-length --read-iops-sec-max-length --write-iops-sec-max-length -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version' ;;
        watch) opts='--all -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version' ;;
        *) return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    local IFS=$'\n'
    COMPREPLY=($("${COMP_WORDS[0]}" complete -- "$line" 2>/dev/null))
    # bash splits words at ':' (URIs): offer only what follows the last one
    local last=${line##*[[:space:]]}
    if [[ $last == *:* ]]; then
        COMPREPLY=("${COMPREPLY[@]#"${last%"${last##*:}"}"}")
    fi
    # nothing live (e.g. a SOURCE path): fall back to file names
    [[ ${#COMPREPLY[@]} -eq 0 ]] && compopt -o default 2>/dev/null
    return 0
}
complete -F _virt_throttle virt-throttle
