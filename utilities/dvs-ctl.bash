# Bash completion for dvs-ctl(8).                       -*- shell-script -*-
#
# Copyright (c) 2026 The ovs-dvs authors.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at:
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.
#
# Completes global options, command options, command names, the names of
# existing switches, portgroups, ports and hosts (asked from the database
# that the command line would use: --db=, else $DVS_DB, else the default),
# KEY= for the object a command configures, and the values of keys that
# have a fixed set of them.  The keys and their values are read from
# "dvs-ctl --help", so that they always match the installed dvs-ctl.
#
# Database queries time out after $DVS_CTL_COMPLETION_TIMEOUT seconds
# (default 2) and are silent on errors.

_DVS_CTL_GLOBAL_OPTS="--db= --wait= --timeout= --dry-run --oneline
--no-syslog --format= --data= --no-headings --pretty --bare
--max-column-width= --verbose --verbose= --log-file --log-file=
--syslog-method= --syslog-target= --private-key= --certificate=
--ca-cert= --ssl-protocols= --ssl-ciphers= --help --version"

_DVS_CTL_CMD_OPTS="--may-exist --if-exists --force --columns= --id= --all
--config-version= --description= --original-identity --apply-to= --name=
--to= --switch --portgroup --port"

_DVS_CTL_COMMANDS="init show sync
dvs-add dvs-del dvs-list dvs-set dvs-get
host-add host-del host-list host-set
pg-add pg-del pg-list pg-set pg-get
pvlan-add pvlan-del pvlan-list
lag-add lag-del lag-set lag-list
rule-add rule-del rule-list
mirror-add mirror-set mirror-del mirror-list mirror-show
port-add port-del port-list port-set port-show
lldp-neighbors health-check-show health-check-set
snapshot-create snapshot-list snapshot-show snapshot-delete snapshot-export
snapshot-import rollback
list find get set add remove clear create destroy wait-until comment"

_DVS_CTL_TABLES="DVS_Global Switch Portgroup Port Host Host_Member LAG
PVLAN_Entry Mirror_Session Traffic_Rule LLDP_Neighbor Health_Check_Result
Snapshot MAC_Pool Opaque_Data"

# Runs dvs-ctl against the database of the command line being completed,
# with its SSL options.  Prints nothing on error.
_dvs_ctl_query()
{
    local t=${DVS_CTL_COMPLETION_TIMEOUT:-2}
    "${_dvs_ctl_prog:-dvs-ctl}" --timeout="$t" "${_dvs_ctl_conn[@]}" "$@" \
        2>/dev/null
}

# Names of the rows of table $1 that have a "name" column.
_dvs_ctl_names()
{
    _dvs_ctl_query --bare --columns=name list "$1"
}

# Names of the hosts that are members of switch $1.
_dvs_ctl_members()
{
    _dvs_ctl_query --format=csv --data=bare --no-headings host-list "$1" \
        | cut -d, -f2
}

# Columns of table $1.
_dvs_ctl_columns()
{
    _dvs_ctl_query --format=csv --data=bare list "$1" \
        | head -n 1 | tr ',' '\n'
}

# Prints "KEY VALUES" lines for the objects of section $1 of "dvs-ctl
# --help" ("Switch", "Portgroup", "Port" or "Host member"): VALUES are the
# accepted values when the key has a fixed set of them, separated by spaces,
# or nothing.
_dvs_ctl_key_lines()
{
    if [ -z "$_dvs_ctl_help" ]; then
        _dvs_ctl_help=$("${_dvs_ctl_prog:-dvs-ctl}" --help 2>/dev/null)
    fi
    printf '%s\n' "$_dvs_ctl_help" | awk -v section="$1" '
        /^[A-Za-z].*:$/ {
            in_section = index($0, section " keys") == 1
            next
        }
        in_section && /^  [a-z]/ {
            key = $1
            $1 = ""
            text = $0
            values = ""
            if (text ~ /^ *true or false/) {
                values = "true false"
            } else if (text ~ /^ *one of /) {
                v = text
                sub(/^ *one of /, "", v)
                sub(/;.*/, "", v)
                gsub(/,/, "", v)
                values = v
            }
            if (text ~ /"inherit" or "default" clears it/) {
                values = values " inherit default"
            }
            print key, values
        }
        in_section && /^$/ { in_section = 0 }'
}

_dvs_ctl_keys()
{
    _dvs_ctl_key_lines "$1" | awk '{ print $1 "=" }'
}

_dvs_ctl_key_values()
{
    _dvs_ctl_key_lines "$1" | awk -v key="$2" '
        $1 == key { for (i = 2; i <= NF; i++) print $i }'
}

# Rebuilds the words of the command line, joining what bash split at the
# '=' and ':' of COMP_WORDBREAKS ("--db=unix:/x" is one word for dvs-ctl).
# Words are joined only where COMP_LINE shows no space between them (or,
# without COMP_LINE, always).  Sets _dvs_ctl_words and _dvs_ctl_cword.
_dvs_ctl_reassemble()
{
    local breaks=${COMP_WORDBREAKS-$' \t\n"\'><=;|&(:'}
    local seps= line=${COMP_LINE-} pos=0 i word prev adjacent rest trimmed
    [[ $breaks == *=* ]] && seps+='='
    [[ $breaks == *:* ]] && seps+=':'
    _dvs_ctl_words=()
    _dvs_ctl_cword=0
    for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
        word=${COMP_WORDS[i]}
        adjacent=1
        if [ -n "$line" ]; then
            rest=${line:pos}
            trimmed=${rest#"${rest%%[![:space:]]*}"}
            ((${#trimmed} != ${#rest})) && adjacent=0
            pos=$((pos + ${#rest} - ${#trimmed} + ${#word}))
        fi
        prev=
        ((${#_dvs_ctl_words[@]} >= 2)) && prev=${_dvs_ctl_words[-1]}
        if [ -n "$seps" ] && [ -n "$prev" ] && [ -n "$word" ] &&
           [ $adjacent = 1 ] &&
           [[ $word =~ ^[$seps]+$ || ${prev: -1} == [$seps] ]]; then
            _dvs_ctl_words[-1]+=$word
        else
            _dvs_ctl_words+=("$word")
        fi
        if ((i == COMP_CWORD)); then
            _dvs_ctl_cword=$((${#_dvs_ctl_words[@]} - 1))
        fi
    done
    if ((COMP_CWORD >= ${#COMP_WORDS[@]})); then
        _dvs_ctl_words+=("")
        _dvs_ctl_cword=$((${#_dvs_ctl_words[@]} - 1))
    fi
}

# Adds the words in $1 that start with $cur to COMPREPLY, less the part of
# $cur that bash does not replace (everything up to its last '=' or ':').
_dvs_ctl_add()
{
    local w
    local IFS=$' \t\n'
    for w in $1; do
        if [[ $w == "$cur"* ]]; then
            COMPREPLY+=("${w#"$_dvs_ctl_kept"}")
        fi
    done
}

_dvs_ctl()
{
    local cur cword i word
    local -a words
    local _dvs_ctl_prog=${COMP_WORDS[0]:-dvs-ctl}
    local -a _dvs_ctl_conn=() _dvs_ctl_words=()
    local _dvs_ctl_kept _dvs_ctl_cword
    COMPREPLY=()

    _dvs_ctl_reassemble
    words=("${_dvs_ctl_words[@]}")
    cword=$_dvs_ctl_cword
    cur=${words[cword]}

    # The part of $cur that bash leaves in place: up to its last '=' or ':'
    # if that is a word break.
    local breaks=${COMP_WORDBREAKS-$' \t\n"\'><=;|&(:'}
    _dvs_ctl_kept=
    local b
    for b in = :; do
        if [[ $breaks == *"$b"* && $cur == *"$b"* ]]; then
            local k=${cur%"$b"*}$b
            ((${#k} > ${#_dvs_ctl_kept})) && _dvs_ctl_kept=$k
        fi
    done

    # Walk the words before the cursor: global options, then commands
    # separated by "--", each with its options and arguments.
    local command= seen_sep=0 expect_arg=
    local -a args=()
    for ((i = 1; i < cword; i++)); do
        word=${words[i]}
        if [ -n "$expect_arg" ]; then
            [ "$expect_arg" = --db ] && _dvs_ctl_conn+=("--db=$word")
            case $expect_arg in
                -p|--private-key|-c|--certificate|-C|--ca-cert)
                    _dvs_ctl_conn+=("$expect_arg" "$word") ;;
            esac
            expect_arg=
            continue
        fi
        if [ "$word" = -- ]; then
            command=
            args=()
            seen_sep=1
            continue
        fi
        if [ -z "$command" ]; then
            case $word in
                --db=*|--private-key=*|--certificate=*|--ca-cert=*)
                    _dvs_ctl_conn+=("$word") ;;
                -p?*|-c?*|-C?*)
                    _dvs_ctl_conn+=("$word") ;;
            esac
            case $word in
                --db|--wait|--timeout|-t|--format|-f|--data|-d|\
                --max-column-width|--syslog-method|--syslog-target|\
                --private-key|-p|--certificate|-c|--ca-cert|-C|\
                --ssl-protocols|--ssl-ciphers|--columns|--id)
                    expect_arg=$word ;;
                -*) ;;
                *) command=$word ;;
            esac
        else
            args+=("$word")
        fi
    done

    # The argument of an option given as a separate word.
    if [ -n "$expect_arg" ]; then
        local opt=${expect_arg#-}
        _dvs_ctl_option_value "${opt#-}" "$cur"
        return 0
    fi

    if [ -z "$command" ]; then
        case $cur in
            --*=*)
                local opt=${cur%%=*}
                _dvs_ctl_option_value "${opt#--}" "${cur#*=}"
                ;;
            -*)
                if [ $seen_sep = 0 ]; then
                    _dvs_ctl_add "$_DVS_CTL_GLOBAL_OPTS $_DVS_CTL_CMD_OPTS --"
                else
                    _dvs_ctl_add "$_DVS_CTL_CMD_OPTS"
                fi
                ;;
            *)
                _dvs_ctl_add "$_DVS_CTL_COMMANDS"
                ;;
        esac
        _dvs_ctl_nospace
        return 0
    fi

    if [ "$cur" = - ] || [ "$cur" = -- ]; then
        COMPREPLY=(--)
        return 0
    fi
    _dvs_ctl_command_arg "$command" ${#args[@]}
    _dvs_ctl_nospace
    return 0
}

# Completes the value $2 of option $1.
_dvs_ctl_option_value()
{
    local opt=$1 value=$2
    case $opt in
        wait) _dvs_ctl_add_values "none hv" ;;
        format|f) _dvs_ctl_add_values "table list csv json html" ;;
        data|d) _dvs_ctl_add_values "string bare json" ;;
        db)
            case $value in
                unix:*|punix:*)
                    local prefix=${value%%:*}: f
                    local IFS=$'\n'
                    for f in $(compgen -f -- "${value#*:}"); do
                        [ -d "$f" ] && f=$f/
                        _dvs_ctl_add_values "$prefix$f"
                    done
                    ;;
                *) _dvs_ctl_add_values "unix: tcp: ssl: punix: ptcp: pssl:" ;;
            esac
            ;;
        private-key|p|certificate|c|ca-cert|C|log-file)
            local IFS=$'\n' f
            for f in $(compgen -f -- "$value"); do
                _dvs_ctl_add_values "$f"
            done
            ;;
    esac
    _dvs_ctl_nospace
}

# Like _dvs_ctl_add, for values of whatever precedes them in $cur.
_dvs_ctl_add_values()
{
    local prefix=
    case $cur in
        *=*) prefix=${cur%%=*}= ;;
    esac
    local w IFS=$' \t\n'
    [[ $1 == *$'\n'* ]] && IFS=$'\n'
    for w in $1; do
        if [[ $prefix$w == "$cur"* ]]; then
            COMPREPLY+=("$(_dvs_ctl_strip "$prefix$w")")
        fi
    done
}

_dvs_ctl_strip()
{
    printf '%s' "${1#"$_dvs_ctl_kept"}"
}

# Tells bash not to add a space after a completion that ends in '=', ':'
# or '/', which the user continues to type.
_dvs_ctl_nospace()
{
    local w
    for w in "${COMPREPLY[@]}"; do
        case $w in
            *=|*:|*/)
                compopt -o nospace 2>/dev/null
                return
                ;;
        esac
    done
}

# Completes KEY=VALUE for the objects of "dvs-ctl --help" section $1.
_dvs_ctl_complete_setting()
{
    local section=$1
    if [[ $cur == *=* ]]; then
        local key=${cur%%=*}
        _dvs_ctl_add_values "$(_dvs_ctl_key_values "$section" "$key")"
    else
        _dvs_ctl_add "$(_dvs_ctl_keys "$section")"
    fi
}

# The keys of the mirror-* commands (dvs-ctl(8), "Port Mirroring
# Commands") and the values of those with a fixed set.
_DVS_CTL_MIRROR_KEYS="type= src-rx= src-tx= src-vlan= dest-port= dest-uplink=
dest-ip= encap-vlan= strip-vlan= encap= erspan-id= length= sampling=
normal-traffic= enabled= description="

_dvs_ctl_complete_mirror_setting()
{
    case $cur in
        type=*)
            local types="dvPortMirror mixedDestMirror remoteMirrorSource"
            types+=" remoteMirrorDest encapsulatedRemoteMirrorSource"
            _dvs_ctl_add_values "$types"
            ;;
        encap=*) _dvs_ctl_add_values "gre erspan2 erspan3" ;;
        strip-vlan=*|normal-traffic=*|enabled=*)
            _dvs_ctl_add_values "true false" ;;
        src-rx=*|src-tx=*|dest-port=*)
            _dvs_ctl_add_values "$(_dvs_ctl_names Port)" ;;
        *=*) ;;
        *) _dvs_ctl_add "$_DVS_CTL_MIRROR_KEYS" ;;
    esac
}

# Completes argument number $2 (0 = first) of command $1; the earlier
# arguments are in $args.
_dvs_ctl_command_arg()
{
    local command=$1 n=$2
    case $command in
        mirror-add)
            if ((n == 0)); then
                _dvs_ctl_add "$(_dvs_ctl_names Switch)"
            elif ((n >= 2)); then
                _dvs_ctl_complete_mirror_setting
            fi
            ;;
        mirror-set|mirror-del|mirror-show)
            if ((n == 0)); then
                _dvs_ctl_add "$(_dvs_ctl_names Mirror_Session)"
            elif [ "$command" = mirror-set ]; then
                _dvs_ctl_complete_mirror_setting
            fi
            ;;
        show|dvs-list|pg-list|host-list|pvlan-list|mirror-list|lag-list|lag-add|lag-del|lag-set)
            [ "$command" = dvs-list ] && return
            ((n == 0)) && _dvs_ctl_add "$(_dvs_ctl_names Switch)"
            ;;
        dvs-add)
            ((n >= 1)) && _dvs_ctl_complete_setting Switch
            ;;
        dvs-del)
            ((n == 0)) && _dvs_ctl_add "$(_dvs_ctl_names Switch)"
            ;;
        dvs-set)
            if ((n == 0)); then
                _dvs_ctl_add "$(_dvs_ctl_names Switch)"
            else
                _dvs_ctl_complete_setting Switch
            fi
            ;;
        dvs-get)
            if ((n == 0)); then
                _dvs_ctl_add "$(_dvs_ctl_names Switch)"
            elif ((n == 1)); then
                _dvs_ctl_add "$(_dvs_ctl_key_lines Switch | awk '{print $1}')"
            fi
            ;;
        host-add)
            if ((n == 0)); then
                _dvs_ctl_add "$(_dvs_ctl_names Switch)"
            elif ((n == 1)); then
                _dvs_ctl_add "$(_dvs_ctl_names Host)"
            else
                _dvs_ctl_complete_setting "Host member"
            fi
            ;;
        host-del|host-set)
            if ((n == 0)); then
                _dvs_ctl_add "$(_dvs_ctl_names Switch)"
            elif ((n == 1)); then
                _dvs_ctl_add "$(_dvs_ctl_members "${args[0]}")"
            elif [ "$command" = host-set ]; then
                _dvs_ctl_complete_setting "Host member"
            fi
            ;;
        rule-add|rule-del|rule-list)
            # OWNER SEQUENCE [ACTION KEY=VALUE...].
            if ((n == 0)); then
                _dvs_ctl_add "$(_dvs_ctl_names Switch) \
                              $(_dvs_ctl_names Portgroup) \
                              $(_dvs_ctl_names Port)"
            elif [ "$command" = rule-add ] && ((n == 2)); then
                _dvs_ctl_add "allow drop tag"
            elif [ "$command" = rule-add ] && ((n >= 3)); then
                _dvs_ctl_add "direction= description= cos= dscp= src-mac=
                              dst-mac= ether-type= vlan= src-ip= dst-ip=
                              ip-protocol= src-port= dst-port= tcp-flags="
            fi
            ;;
        pvlan-add)
            # SWITCH PRIMARY [SECONDARY TYPE]: the type is the last word.
            if ((n == 0)); then
                _dvs_ctl_add "$(_dvs_ctl_names Switch)"
            elif ((n == 3)); then
                _dvs_ctl_add "isolated community"
            fi
            ;;
        pvlan-del)
            if ((n == 0)); then
                _dvs_ctl_add "$(_dvs_ctl_names Switch)"
            elif ((n == 1)); then
                _dvs_ctl_add "$(_dvs_ctl_query --format=csv --data=bare \
                                --no-headings pvlan-list "${args[0]}" \
                                | cut -d, -f3)"
            fi
            ;;
        pg-add)
            if ((n == 0)); then
                _dvs_ctl_add "$(_dvs_ctl_names Switch)"
            elif ((n >= 2)); then
                _dvs_ctl_complete_setting Portgroup
            fi
            ;;
        pg-del|port-list)
            ((n == 0)) && _dvs_ctl_add "$(_dvs_ctl_names Portgroup)"
            ;;
        pg-set)
            if ((n == 0)); then
                _dvs_ctl_add "$(_dvs_ctl_names Portgroup)"
            else
                _dvs_ctl_complete_setting Portgroup
            fi
            ;;
        pg-get)
            if ((n == 0)); then
                _dvs_ctl_add "$(_dvs_ctl_names Portgroup)"
            elif ((n == 1)); then
                _dvs_ctl_add "$(_dvs_ctl_key_lines Portgroup \
                                | awk '{print $1}')"
            fi
            ;;
        port-add)
            # PG, then an optional new port name, then settings.
            if ((n == 0)); then
                _dvs_ctl_add "$(_dvs_ctl_names Portgroup)"
            else
                _dvs_ctl_complete_setting Port
            fi
            ;;
        port-del|port-show)
            ((n == 0)) && _dvs_ctl_add "$(_dvs_ctl_names Port)"
            ;;
        port-set)
            if ((n == 0)); then
                _dvs_ctl_add "$(_dvs_ctl_names Port)"
            else
                _dvs_ctl_complete_setting Port
            fi
            ;;
        lldp-neighbors)
            ((n == 0)) && _dvs_ctl_add "$(_dvs_ctl_names Host)"
            ;;
        health-check-show)
            if ((n == 0)); then
                _dvs_ctl_add "$(_dvs_ctl_names Switch)"
            elif ((n == 1)); then
                _dvs_ctl_add "$(_dvs_ctl_members "${args[0]}")"
            fi
            ;;
        health-check-set)
            if ((n == 0)); then
                _dvs_ctl_add "$(_dvs_ctl_names Switch)"
            else
                _dvs_ctl_add "vlan-mtu=true vlan-mtu=false teaming=true
teaming=false interval="
            fi
            ;;
        snapshot-create)
            ((n == 1)) && _dvs_ctl_add "$(_dvs_ctl_names Switch)"
            ;;
        snapshot-list)
            ((n == 0)) && _dvs_ctl_add "$(_dvs_ctl_names Switch)"
            ;;
        snapshot-show|snapshot-delete)
            ((n == 0)) && _dvs_ctl_add "$(_dvs_ctl_names Snapshot)"
            ;;
        snapshot-export)
            if ((n == 0)); then
                _dvs_ctl_add "$(_dvs_ctl_names Snapshot)"
            else
                _dvs_ctl_add "$(compgen -f -- "$cur")"
            fi
            ;;
        snapshot-import)
            if ((n == 0)); then
                _dvs_ctl_add "$(compgen -f -- "$cur")"
            fi
            ;;
        rollback)
            ((n == 0)) && _dvs_ctl_add "$(_dvs_ctl_names Switch)
$(_dvs_ctl_names Portgroup)"
            ;;
        list|find|get|set|add|remove|clear|create|destroy|wait-until)
            _dvs_ctl_db_command_arg "$command" "$n"
            ;;
    esac
}

# Records of table $1 by name, where the table has names.
_dvs_ctl_records()
{
    case ${1,,} in
        dvs_global|dvs-global) echo . ;;
        switch) _dvs_ctl_names Switch ;;
        portgroup) _dvs_ctl_names Portgroup ;;
        port) _dvs_ctl_names Port ;;
        host) _dvs_ctl_names Host ;;
        lag) _dvs_ctl_names LAG ;;
        mirror_session|mirror-session) _dvs_ctl_names Mirror_Session ;;
        snapshot) _dvs_ctl_names Snapshot ;;
        mac_pool|mac-pool) _dvs_ctl_names MAC_Pool ;;
    esac
}

_dvs_ctl_db_command_arg()
{
    local command=$1 n=$2
    if ((n == 0)); then
        _dvs_ctl_add "$_DVS_CTL_TABLES"
        return
    fi
    local table=${args[0]}
    case $command in
        create|find)
            # COLUMN=VALUE...
            [[ $cur == *=* ]] || _dvs_ctl_add "$(_dvs_ctl_columns "$table" \
                                                | sed 's/$/=/')"
            ;;
        list|destroy)
            _dvs_ctl_add "$(_dvs_ctl_records "$table")"
            ;;
        wait-until|set)
            if ((n == 1)); then
                _dvs_ctl_add "$(_dvs_ctl_records "$table")"
            elif [[ $cur != *=* ]]; then
                _dvs_ctl_add "$(_dvs_ctl_columns "$table" | sed 's/$/=/')"
            fi
            ;;
        get|clear)
            if ((n == 1)); then
                _dvs_ctl_add "$(_dvs_ctl_records "$table")"
            else
                _dvs_ctl_add "$(_dvs_ctl_columns "$table")"
            fi
            ;;
        add|remove)
            if ((n == 1)); then
                _dvs_ctl_add "$(_dvs_ctl_records "$table")"
            elif ((n == 2)); then
                _dvs_ctl_add "$(_dvs_ctl_columns "$table")"
            fi
            ;;
    esac
}

complete -F _dvs_ctl dvs-ctl
