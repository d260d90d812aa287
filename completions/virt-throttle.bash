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
    local uris="$LIBVIRT_DEFAULT_URI qemu:///system qemu:///session"
    case $prev in
        -c|--connect) COMPREPLY=($(compgen -W "$uris" -- "$cur")); _virt_throttle_ltrim "$cur"; return ;;
        -f|--file) COMPREPLY=(); compopt -o default; return ;;
    esac
    if [[ $cur == --connect=* ]]; then
        COMPREPLY=($(compgen -P --connect= -W "$uris" -- "${cur#*=}"))
        _virt_throttle_ltrim "$cur"
        return
    fi
    local i cmd= opts
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            -c|--connect|-f|--file) ((i++)) ;;
            -*) ;;
            *) cmd=${words[i]}; break ;;
        esac
    done
    case $cmd in
        '') opts='-c --connect -r --readonly -q --quiet --debug --dry-run --json -t --timing -h --help -V --version -f --file --stop-on-error --sandbox --install-deps'
            if [[ $cur != -* ]]; then
                COMPREPLY=($(compgen -W 'throttlegroupset domthrottlegroupset throttlegroupdel domthrottlegroupdel throttlegroupinfo domthrottlegroupinfo throttlegrouplist domthrottlegrouplist throttletierset throttletierdel throttletierinfo throttletierlist attach-disk detach-disk throttlefilterset throttlefilterlist blockcommit blockcopy blockpull blockjob blockresize snapshot-delete migrate throttlestat reconcile watch migrate-config apply export list connect shell help' -- "$cur"))
                return
            fi ;;
        apply) opts='--dry-run -f --file --config --live --current --prune -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --domain' ;;
        attach-disk) opts='--dry-run --targetbus --driver --subdriver --iothread --cache --io --type --mode --sourcetype --serial --wwn --alias --rawio --address --multifunction --print-xml --source-protocol --source-host-name --source-host-transport --source-host-socket --throttle-groups --config --live --current --persistent -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --domain --source --target' ;;
        blockcommit) opts='--dry-run --bandwidth --bytes --wait --verbose --async --base --shallow --top --active --delete --timeout --pivot --keep-overlay --keep-relative -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --domain --path' ;;
        blockcopy) opts='--dry-run --bandwidth --bytes --wait --verbose --async --dest --shallow --reuse-external --blockdev --timeout --pivot --finish --xml --format --granularity --buf-size --transient-job --synchronous-writes --print-xml -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --domain --path' ;;
        blockjob) opts='--abort --async --pivot --info --bytes --raw --bandwidth -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --domain --path' ;;
        blockpull) opts='--dry-run --bandwidth --bytes --wait --verbose --async --base --timeout --keep-relative -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --domain --path' ;;
        blockresize) opts='--dry-run -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --domain --path --size' ;;
        connect) opts='-c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --name' ;;
        detach-disk) opts='--dry-run --config --live --current --persistent --print-xml -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --domain --target' ;;
        export) opts='--all --inactive -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --domain' ;;
        help) opts='-c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --command' ;;
        list) opts='--all --name -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version' ;;
        migrate) opts='--live --offline --persistent --undefinesource --suspend --copy-storage-all --copy-storage-inc --unsafe --verbose --auto-converge --migrateuri --listen-address --dname --timeout --xml --migrate-disks -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --domain --desturi' ;;
        migrate-config) opts='--dry-run --all -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --domain' ;;
        reconcile) opts='--dry-run --all -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --domain' ;;
        shell) opts='-c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version' ;;
        snapshot-delete) opts='--dry-run --current --children --children-only --metadata -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --domain --snapshotname' ;;
        throttlefilterlist) opts='--inactive -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --domain' ;;
        throttlefilterset) opts='--dry-run --config --live --current --force-reattach -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --domain --target --throttle-groups' ;;
        throttlegroupdel|domthrottlegroupdel) opts='--dry-run --config --live --current -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --domain --group-name' ;;
        throttlegroupinfo|domthrottlegroupinfo) opts='--inactive -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --domain --group-name' ;;
        throttlegrouplist|domthrottlegrouplist) opts='--inactive -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --domain' ;;
        throttlegroupset|domthrottlegroupset) opts='--dry-run --config --live --current --tier --total-bytes-sec --read-bytes-sec --write-bytes-sec --total-iops-sec --read-iops-sec --write-iops-sec --total-bytes-sec-max --read-bytes-sec-max --write-bytes-sec-max --total-iops-sec-max --read-iops-sec-max --write-iops-sec-max --size-iops-sec --total-bytes-sec-max-length --read-bytes-sec-max-length --write-bytes-sec-max-length --total-iops-sec-max-length --read-iops-sec-max-length --write-iops-sec-max-length -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --domain --group-name' ;;
        throttlestat) opts='--disks --all --interval --count --prometheus --tier -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --domain --group-name' ;;
        throttletierdel) opts='--dry-run -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --tier' ;;
        throttletierinfo) opts='-c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --tier' ;;
        throttletierlist) opts='-c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version' ;;
        throttletierset) opts='--dry-run --total-bytes-sec --read-bytes-sec --write-bytes-sec --total-iops-sec --read-iops-sec --write-iops-sec -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --tier' ;;
        watch) opts='--dry-run --all --check-interval --tier-interval -c --connect -r --readonly -q --quiet --debug --json -t --timing -h --help -V --version --domain' ;;
        *) return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    local IFS=$'\n'
    COMPREPLY=($("${words[0]}" complete -- "${COMP_LINE:0:COMP_POINT}" 2>/dev/null))
    _virt_throttle_ltrim "$cur"
    # names and paths as file names are: quoted when needed, no blank after a directory
    compopt -o filenames
    # nothing live (e.g. a SOURCE path the line spells with ~): readline's own file names
    ((${#COMPREPLY[@]})) || compopt -o default
    return 0
}
complete -F _virt_throttle virt-throttle
