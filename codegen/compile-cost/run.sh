#!/usr/bin/env bash
# What generated types cost to compile (issue 12, item 5). From the workspace root:
#
#   bash codegen/compile-cost/run.sh [--runs N] [--force] [PART]...
#
# PART (default: all of them, in this order):
#   gen      generate all of ECS with the release aliyun-rpc-gen: wall time (target < 1 s)
#   ours     (a) a crate whose src/lib.rs is `aliyun-rpc-gen --api-docs <ECS copy>` (347 actions)
#   ali-acs  (b) a crate depending on ali-acs 0.8 with only its `ecs` feature
#   ten      (c) a crate with 10 generated ECS actions against an empty crate, both depending
#            on aliyun-rpc and serde
#
# Method. Each measured crate gets its dependencies built first (`cargo build --release`);
# then, per run, `cargo clean --release -p CRATE` and `cargo build --release -p CRATE` under
# `/usr/bin/time -f '%e %M'`: the wall time of that build and the peak RSS of its largest
# process, which is the one rustc compiling CRATE (GNU time reports the largest of cargo and
# the children it waited for; cargo itself stays far below). A build that compiled anything but
# CRATE is an error: the figure would not be the crate alone. Runs alternate between the crates
# (ours, ali-acs, ten, empty, then again), back to back on the same machine, and the median of
# the runs is reported. Release profile defaults, the toolchain of rust-toolchain.toml.
#
# Targets: (a) <= 1/3 of (b) in wall time and in peak RSS; (c) ten - empty <= 5 s.
#
# Everything is written under target/compile-cost/ (throwaway crates, their target dirs and
# logs; `rm -rf target/compile-cost` removes it). The first run downloads ali-acs and its
# dependencies from crates.io and builds them: several minutes on 2 cores. It refuses to time
# while another rustc runs (someone else's build would skew the figures) unless --force.
# Needs GNU time (/usr/bin/time, Debian package `time`): installed with apt-get when missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$ROOT/target/compile-cost"
ECS_JSON="$ROOT/metadata/data/ecs-2014-05-26.json"
ALI_ACS_VERSION="0.8"
# (c): ten actions a user might start with, small and large (DescribeInstances and
# RunInstances are among the largest ECS actions).
TEN_ACTIONS=(AuthorizeSecurityGroup CreateSecurityGroup DeleteInstance
    DescribeImageSupportInstanceTypes DescribeImages DescribeInstances DescribeRegions
    RunInstances StartInstance StopInstance)

RUNS=3
FORCE=0
PARTS=()
usage() { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while (($#)); do
    case "$1" in
        --runs) RUNS="${2:?--runs needs a number}"; shift 2 ;;
        --runs=*) RUNS="${1#--runs=}"; shift ;;
        --force) FORCE=1; shift ;;
        -h | --help) usage 0 ;;
        gen | ours | ali-acs | ten) PARTS+=("$1"); shift ;;
        *) echo "run.sh: unknown argument \`$1\`" >&2; usage 2 >&2 ;;
    esac
done
((${#PARTS[@]})) || PARTS=(gen ours ali-acs ten)
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --runs takes a positive number" >&2; exit 2; }
want() { local p; for p in "${PARTS[@]}"; do [[ "$p" == "$1" ]] && return 0; done; return 1; }

log() { printf '%s\n' "$*" >&2; }
die() { log "run.sh: $*"; exit 1; }

if [[ ! -x /usr/bin/time ]]; then
    log "installing GNU time (/usr/bin/time)"
    { apt-get update -qq && apt-get install -y -qq time; } >&2 || die "cannot install the Debian package \`time\`; install it and rerun"
fi

mkdir -p "$WORK"
cd "$ROOT"

# --- crates ---------------------------------------------------------------------------------

GEN="$ROOT/target/release/aliyun-rpc-gen"
build_generator() {
    log "building aliyun-rpc-gen (release)"
    cargo build --quiet --release -p aliyun-rpc-codegen --bin aliyun-rpc-gen
}

# One workspace for (a) and (c), so that they share one build of aliyun-rpc and serde, with
# the versions of the project's Cargo.lock.
OURS="$WORK/ours"
write_ours() {
    mkdir -p "$OURS"/{ecs-all,ecs-ten,empty}/src
    cat >"$OURS/Cargo.toml" <<'EOF'
# Written by codegen/compile-cost/run.sh; throwaway.
[workspace]
members = ["ecs-all", "ecs-ten", "empty"]
resolver = "2"
EOF
    local name
    for name in ecs-all ecs-ten empty; do
        cat >"$OURS/$name/Cargo.toml" <<EOF
[package]
name = "compile-cost-$name"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
aliyun-rpc = { path = "$ROOT" }
serde = { version = "1", features = ["derive"] }
EOF
    done
    "$GEN" --api-docs "$ECS_JSON" --out "$OURS/ecs-all/src/lib.rs"
    local args=() action
    for action in "${TEN_ACTIONS[@]}"; do args+=(--action "$action"); done
    "$GEN" --api-docs "$ECS_JSON" "${args[@]}" --out "$OURS/ecs-ten/src/lib.rs"
    printf '//! Nothing: the baseline of (c).\n' >"$OURS/empty/src/lib.rs"
    [[ -f "$OURS/Cargo.lock" ]] || cp "$ROOT/Cargo.lock" "$OURS/Cargo.lock"
}

ACS="$WORK/ali-acs"
write_ali_acs() {
    mkdir -p "$ACS/src"
    cat >"$ACS/Cargo.toml" <<EOF
# Written by codegen/compile-cost/run.sh; throwaway.
[package]
name = "compile-cost-ali-acs"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
ali-acs = { version = "$ALI_ACS_VERSION", default-features = false, features = ["ecs"] }
EOF
    printf '//! Only the dependency is measured.\n' >"$ACS/src/lib.rs"
}

# --- measuring ------------------------------------------------------------------------------

# prepare MANIFEST CRATE...: builds the crates once, so that the timed builds find their
# dependencies ready.
prepare() {
    local manifest="$1" crate args=()
    shift
    for crate in "$@"; do args+=(-p "$crate"); done
    log "building $* and their dependencies (release)"
    cargo build --release --manifest-path "$manifest" "${args[@]}" >&2
}

check_quiet() {
    local others
    others="$(pgrep -c -x rustc || true)"
    if [[ "${others:-0}" != 0 ]]; then
        if ((FORCE)); then
            log "warning: $others other rustc processes are running; figures will be skewed"
        else
            die "$others other rustc processes are running: wait for a quiet machine, or pass --force"
        fi
    fi
}

# timed MANIFEST CRATE: cleans CRATE's release artifacts and builds it alone; prints
# "SECONDS PEAK_KB". Fails when the build compiled anything else.
timed() {
    local manifest="$1" crate="$2" out="$WORK/time.out" err="$WORK/build.log"
    cargo clean --quiet --release --manifest-path "$manifest" -p "$crate"
    check_quiet
    /usr/bin/time -f '%e %M' -o "$out" \
        cargo build --release --manifest-path "$manifest" -p "$crate" 2>"$err" ||
        die "building $crate failed; see $err"
    local compiled
    compiled="$(grep -E '^ *Compiling ' "$err" | awk '{print $2}' | sort -u | tr '\n' ' ')"
    [[ "$compiled" == "$crate " ]] ||
        die "the timed build of $crate compiled [${compiled% }], not $crate alone; see $err"
    cat "$out"
}

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }

declare -A SECONDS_OF PEAK_OF
measure() { # measure LABEL MANIFEST CRATE: one run, appended to the label's samples
    local result
    result="$(timed "$2" "$3")"
    log "  $1: ${result% *} s, peak $(( ${result#* } / 1024 )) MiB"
    SECONDS_OF[$1]+="${result% *} "
    PEAK_OF[$1]+="${result#* } "
}
med_s() { tr ' ' '\n' <<<"${SECONDS_OF[$1]}" | grep . | median; }
med_mib() { tr ' ' '\n' <<<"${PEAK_OF[$1]}" | grep . | awk '{print $1/1024}' | median; }

# --- run ------------------------------------------------------------------------------------

log "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(rustc --version)"
build_generator

if want gen; then
    check_quiet
    /usr/bin/time -f '%e %M' -o "$WORK/time.out" "$GEN" --api-docs "$ECS_JSON" >"$WORK/ecs-all.rs"
    read -r gen_s gen_kb <"$WORK/time.out"
    log "gen: all of ECS in $gen_s s (peak $((gen_kb / 1024)) MiB), $(wc -l <"$WORK/ecs-all.rs") lines"
fi

if want ours || want ten; then write_ours; fi
if want ours; then prepare "$OURS/Cargo.toml" compile-cost-ecs-all; fi
if want ten; then prepare "$OURS/Cargo.toml" compile-cost-ecs-ten compile-cost-empty; fi
if want ali-acs; then write_ali_acs; prepare "$ACS/Cargo.toml" ali-acs; fi

builds=0
if want ours || want ali-acs || want ten; then builds=$RUNS; fi
for ((run = 1; run <= builds; run++)); do
    log "run $run of $RUNS"
    if want ours; then measure ours "$OURS/Cargo.toml" compile-cost-ecs-all; fi
    if want ali-acs; then measure ali-acs "$ACS/Cargo.toml" ali-acs; fi
    if want ten; then
        measure ten "$OURS/Cargo.toml" compile-cost-ecs-ten
        measure empty "$OURS/Cargo.toml" compile-cost-empty
    fi
done

# --- report (markdown, for BENCHMARKS.md) ---------------------------------------------------

echo
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at the end, $(rustc --version), median of $RUNS runs"
echo
echo "| crate built alone (release) | lines | wall | peak RSS |"
echo "| --- | ---: | ---: | ---: |"
if want gen; then
    echo "| generating all of ECS (\`aliyun-rpc-gen\`, not a build) | $(wc -l <"$WORK/ecs-all.rs") | $gen_s s | $((gen_kb / 1024)) MiB |"
fi
if want ours; then
    echo "| (a) all of ECS, generated (347 actions) | $(wc -l <"$OURS/ecs-all/src/lib.rs") | $(med_s ours) s | $(med_mib ours) MiB |"
fi
if want ali-acs; then
    acs_src="$(cargo metadata --quiet --format-version 1 --manifest-path "$ACS/Cargo.toml" |
        python3 -c 'import json,sys; m=json.load(sys.stdin); print(next(p["manifest_path"] for p in m["packages"] if p["name"]=="ali-acs"))')"
    acs_version="$(basename "$(dirname "$acs_src")")"
    echo "| (b) \`$acs_version\`, feature \`ecs\` only (lines: its src/ecs.rs) | $(wc -l <"$(dirname "$acs_src")/src/ecs.rs") | $(med_s ali-acs) s | $(med_mib ali-acs) MiB |"
fi
if want ten; then
    echo "| (c) 10 ECS actions, generated | $(wc -l <"$OURS/ecs-ten/src/lib.rs") | $(med_s ten) s | $(med_mib ten) MiB |"
    echo "| (c) empty crate, same dependencies | 1 | $(med_s empty) s | $(med_mib empty) MiB |"
fi
echo
if want ours && want ali-acs; then
    awk -v a="$(med_s ours)" -v b="$(med_s ali-acs)" -v am="$(med_mib ours)" -v bm="$(med_mib ali-acs)" 'BEGIN {
        printf "(a)/(b): wall %.2f, peak RSS %.2f (target <= 0.33 each: %s)\n", a/b, am/bm,
            (a/b <= 1/3 && am/bm <= 1/3) ? "met" : "NOT met" }'
fi
if want ten; then
    awk -v t="$(med_s ten)" -v e="$(med_s empty)" 'BEGIN {
        printf "(c) ten - empty: %.2f s (target <= 5 s: %s)\n", t-e, (t-e <= 5) ? "met" : "NOT met" }'
fi
for label in ours ali-acs ten empty; do
    [[ -n "${SECONDS_OF[$label]:-}" ]] || continue
    echo "runs of $label: ${SECONDS_OF[$label]% }s; peak KiB ${PEAK_OF[$label]% }"
done
