#!/usr/bin/env bash
# t_layers.sh -- the module boundaries of STYLE.md section 2, checked on #include lines.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
cd "$top_srcdir" || bail "no source dir"

# includes FILE: the quoted and angled includes of a file, one per line.
includes() { sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]\([^>"]*\)[>"].*/\1/p' "$1"; }
base() { local b=${1##*/}; echo "${b%.h}"; }

check_dir() {   # check_dir NAME GLOB ALLOWED_REGEX FORBIDDEN_REGEX
    local name=$1 glob=$2 allow=$3 forbid=$4 bad="" f i
    for f in $glob; do
        [ -f "$f" ] || continue
        while IFS= read -r i; do
            case "$i" in *.h) ;; *) continue ;; esac
            [ -f "common/$i" ] || [ -f "${f%/*}/$i" ] || continue     # system header
            if [ -f "common/$i" ] && [ ! -f "${f%/*}/$i" ]; then
                if ! [[ $(base "$i") =~ ^($allow)$ ]] || [[ $(base "$i") =~ ^($forbid)$ ]]; then
                    bad="$bad $f:$i"
                fi
            fi
        done < <(includes "$f")
    done
    is "${bad# }" "" "$name include only what STYLE.md allows"
}

check_dir "supervisor run loop" "$(ls supervisor/*.[ch] 2>/dev/null | grep -v '/cmd_')" \
    'util|log|cfg|ctl|json|metrics|cgroup|worker|notify|backoff' 'db|redis|queue|http|httpd'
check_dir "ctl/" "ctl/*.[ch]" 'util|ctl|json' ''

# common/ never reaches up into supervisor/, workers/ or ctl/.
bad=""
for f in common/*.[ch]; do
    while IFS= read -r i; do
        case "$i" in ../*|supervisor/*|workers/*|ctl/*) bad="$bad $f:$i" ;; esac
        [ -f "common/$i" ] || [ -f "$i" ] || { for d in supervisor workers ctl; do [ -f "$d/$i" ] && bad="$bad $f:$i"; done; }
    done < <(includes "$f")
done
is "${bad# }" "" "common/ includes no supervisor/, workers/ or ctl/ header"

# workers never include supervisor/ headers.
bad=""
for f in $(find workers -name '*.[ch]' 2>/dev/null); do
    while IFS= read -r i; do
        [ -f "supervisor/$i" ] && [ ! -f "common/$i" ] && bad="$bad $f:$i"
    done < <(includes "$f")
done
is "${bad# }" "" "workers/ include no supervisor/ header"

# One library, one module.
lib_only() {    # lib_only HEADER_REGEX "allowed files regex" NAME
    local hits
    hits=$(grep -lE "^[[:space:]]*#[[:space:]]*include[[:space:]]*<($1)" \
        $(find common supervisor workers ctl -name '*.[ch]' 2>/dev/null) 2>/dev/null | grep -vE "^($2)$" | tr '\n' ' ')
    is "${hits% }" "" "$3 is used only in its module"
}
lib_only 'libpq-fe\.h|libpq/' 'common/db\.[ch]' "libpq"
lib_only 'hiredis/' 'common/redis\.[ch]|common/queue\.[ch]' "hiredis"
lib_only 'curl/' 'common/http\.[ch]' "libcurl"
lib_only 'libconfig\.h' 'common/cfg\.c' "libconfig"
lib_only 'uuid/uuid\.h' 'common/uuid7\.[ch]' "libuuid"
lib_only 'openssl/' 'common/digest\.[ch]|common/hmac\.[ch]' "OpenSSL"

# common/ never exits, forks or installs signal handlers (STYLE 2).
hits=$(grep -nE '\b(exit|_exit|fork|sigaction)[[:space:]]*\(' common/*.c 2>/dev/null \
    | grep -vE '^common/worker\.c:|//|/\*' | tr '\n' ' ')
is "${hits% }" "" "common/ calls no exit, fork or sigaction"

# No unbounded string functions (STYLE 7).
hits=$(grep -nE '\b(strcpy|strcat|sprintf|vsprintf|gets)[[:space:]]*\(' \
    $(find common supervisor workers ctl -name '*.c' 2>/dev/null) 2>/dev/null | tr '\n' ' ')
is "${hits% }" "" "no strcpy, strcat, sprintf or gets"

done_testing
