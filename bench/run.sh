#!/usr/bin/env bash
# Runs descent's JMH benchmarks with same-run references and prints one table (bench/README.md explains it).
#   bench/run.sh                 every suite
#   bench/run.sh mlp norm        the chosen suites: mlp deep norm conv recurrent matmul optim tape alloc
#   QUICK=1 bench/run.sh mlp     one short iteration each (checks the pipeline, measures nothing)
#   ROUNDS=5 bench/run.sh mlp    rounds of the suites PyTorch is the reference of (default 3)
# The suites whose reference is PyTorch (mlp deep norm conv recurrent tape) run in rounds, each between two runs of
# bench/reference.py, so that each round's ratio compares neighbouring measurements; the others (alloc optim matmul),
# whose references run in the same JVM, run once, between PyTorch runs of their own. The reference runs with
# OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for that command alone.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/.ci/jdk.sh"
descent_find_jdk
all=(mlp deep norm conv recurrent matmul optim tape alloc)
suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=("${all[@]}")
for s in "${suites[@]}"; do
  case " ${all[*]} " in *" $s "*) ;; *) echo "bench/run.sh: unknown suite '$s'; expected some of: ${all[*]}" >&2; exit 2 ;; esac
done

out="$root/bench/target/run-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$out"
echo "building the benchmarks jar..." >&2
(cd "$root" && mvn -B -ntp -q -pl bench -am package -DskipTests) >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }
jar="$root/bench/target/benchmarks.jar"
{
  echo "Machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1), $(grep -o 'avx512f\|avx2' /proc/cpuinfo | sort -u | tr '\n' ' ')"
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "Command: ${ROUNDS:+ROUNDS=$ROUNDS }bench/run.sh ${suites[*]} (${ROUNDS:-3} rounds against PyTorch)"
} >"$out/machine.txt"

jmh_opts=()
[ -n "${QUICK:-}" ] && jmh_opts=(-f 1 -wi 1 -i 1 -w 200ms -r 200ms)
rounds="${ROUNDS:-3}"
case "$rounds" in ''|*[!0-9]*|0) echo "bench/run.sh: ROUNDS must be a positive integer, got '$rounds'" >&2; exit 2 ;; esac
round=0 # the round the JMH results belong to (0: the suites that run once)
flags="--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED"
# G1, the collector the JVM picks on this machine: -XX:ActiveProcessorCount=1 alone would also switch it to Serial,
# whose young generation is too small for 12 MB activations (bench/README.md)
forked="$flags -XX:+UseG1GC"

# The references run OpenBLAS's best kernel for this processor. The machine may set OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE for old OpenBLAS builds; they slow a current one, so both are unset for the references alone. An
# OpenBLAS that does not know the processor (0.3.21 on some newer ones) falls back to its SSE3 kernel, Prescott; then
# the references are given the kernel for the instruction set the processor has, and machine.txt says so.
blas_env=(-u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
if kernel="$(env "${blas_env[@]}" "$JAVA_HOME/bin/java" $flags -cp "$jar" dev.descent.bench.OpenBlas kernel 2>/dev/null)" \
    && [ "$kernel" = Prescott ]; then
  best=""
  if grep -qw avx512f /proc/cpuinfo; then best=SkylakeX; elif grep -qw avx2 /proc/cpuinfo; then best=Haswell; fi
  if [ -n "$best" ]; then
    blas_env+=(OPENBLAS_CORETYPE="$best")
    echo "OpenBLAS chose its fallback kernel Prescott (SSE3) on this processor; the references run with OPENBLAS_CORETYPE=$best" \
        | tee -a "$out/machine.txt" >&2
  fi
fi

have_torch=1
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  have_torch=0
  echo "PyTorch not found (/usr/bin/python3 cannot import torch; apt-get install -y python3-torch): no PyTorch column" >&2
elif env "${blas_env[@]}" /usr/bin/python3 "$root/bench/reference.py" --env | grep -q '"openblas_config": null'; then
  # Debian's PyTorch calls whatever libblas.so.3 the system selects; without OpenBLAS that is the generic one
  echo "PyTorch calls a libblas.so.3 that is not OpenBLAS (apt-get install -y libopenblas0-pthread selects OpenBLAS's):" \
      "its times are printed but no target is judged against them, and docs/speed.* are not updated" | tee -a "$out/machine.txt" >&2
  have_torch=unjudged
fi
reference() { # $1 = label, $2 = threads, rest = suites
  local label="$1" threads="$2"; shift 2
  [ "$have_torch" = 0 ] && return 0
  env "${blas_env[@]}" /usr/bin/python3 "$root/bench/reference.py" ${QUICK:+--quick} \
      --threads "$threads" "$@" >>"$out/ref-$label-$threads.jsonl"
}
jmh() { # $1 = cpus, rest = JMH arguments (with the references' OpenBLAS settings, which only the matmul reference reads)
  local cpus="$1"; shift
  env "${blas_env[@]}" "$JAVA_HOME/bin/java" $flags -jar "$jar" "$@" "${jmh_opts[@]}" -jvmArgsAppend "$forked -XX:ActiveProcessorCount=$cpus" \
      -rf json -rff "$out/jmh-$round-$(date +%s%N)-$cpus.json" >>"$out/jmh.log" 2>&1 || { tail -n 40 "$out/jmh.log" >&2; exit 1; }
}
want() { case " ${suites[*]} " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

paired=() # suites with a PyTorch reference, run in rounds
for s in mlp deep norm conv recurrent tape; do want "$s" && paired+=("$s"); done
once=() # PyTorch runs that only annotate suites whose reference is in the JVM
for s in optim matmul; do want "$s" && once+=("$s"); done
if [ ${#paired[@]} -gt 0 ]; then
  echo "PyTorch reference r0..." >&2
  reference r0 1 "${paired[@]}"
  want mlp && reference r0 2 mlp
  for round in $(seq 1 "$rounds"); do
    echo "round $round of $rounds: ${paired[*]}..." >&2
    if want mlp; then jmh 1 'MlpStepBenchmark'; jmh 2 'MlpStepBenchmark'; fi
    if want deep; then jmh 1 'DeepNetBenchmark'; fi
    if want norm; then jmh 1 'NormBenchmark'; fi
    if want conv; then jmh 1 'ConvBenchmark|CnnStepBenchmark'; fi
    if want recurrent; then jmh 1 'RecurrentBenchmark'; fi
    if want tape; then jmh 1 'TapeBenchmark.recordAndBackward'; fi
    echo "PyTorch reference r$round..." >&2
    reference "r$round" 1 "${paired[@]}"
    want mlp && reference "r$round" 2 mlp
  done
  round=0
fi
[ ${#once[@]} -gt 0 ] && { echo "PyTorch reference (before optim, matmul)..." >&2; reference before 1 "${once[@]}"; }
if want alloc; then
  echo "alloc..." >&2
  jmh 1 'MlpStepBenchmark' -prof gc
  "$JAVA_HOME/bin/java" -cp "$jar" dev.descent.bench.MlpStepBenchmark >"$out/mlp-essential-bytes"
fi
if want optim; then
  echo "optim (21 optimizers, a few minutes)..." >&2
  jmh 1 'OptimizerStepBenchmark'
  echo "optim, each step alternated with its triad..." >&2
  "$JAVA_HOME/bin/java" $forked -XX:ActiveProcessorCount=1 -cp "$jar" dev.descent.bench.InterleavedOptimizers ${QUICK:+0.01} \
      >"$out/interleaved-optim.jsonl" 2>>"$out/jmh.log" || { tail -n 20 "$out/jmh.log" >&2; exit 1; }
fi
if want matmul; then
  # OpenBLAS in the JVM is a reference too, with the same kernel as PyTorch's
  if OPENBLAS="$(env "${blas_env[@]}" "$JAVA_HOME/bin/java" $flags -cp "$jar" dev.descent.bench.OpenBlas 2>"$out/openblas.err")"; then
    echo "OpenBLAS in the JVM: $OPENBLAS" >>"$out/machine.txt"
    kernels=vector,openblas
  else
    echo "$(grep -v '^WARNING' "$out/openblas.err"): matmul has no OpenBLAS column" | tee -a "$out/machine.txt" >&2
    kernels=vector
  fi
  echo "matmul..." >&2
  jmh 2 'MatMulBenchmark' -p kernel=$kernels
  if [ "$kernels" = vector,openblas ]; then
    echo "matmul, the two kernels alternated..." >&2
    env "${blas_env[@]}" "$JAVA_HOME/bin/java" $forked -XX:ActiveProcessorCount=2 -cp "$jar" dev.descent.bench.InterleavedMatMul \
        ${QUICK:+0.01} >"$out/interleaved.jsonl" 2>>"$out/jmh.log" || { tail -n 20 "$out/jmh.log" >&2; exit 1; }
  fi
fi

[ ${#once[@]} -gt 0 ] && { echo "PyTorch reference (after optim, matmul)..." >&2; reference after 1 "${once[@]}"; }
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/machine.txt"
/usr/bin/python3 "$root/bench/table.py" "$out"
# the chart as PNG too, drawn by headless Chromium when it is installed; a run of every suite updates docs/speed.*
if [ -f "$out/speed.svg" ] && command -v chromium >/dev/null; then
  # (headless Chromium draws nothing into a very short window: at least 400 pixels)
  size="$(sed -n '1s/.*width="\([0-9]*\)" height="\([0-9]*\)".*/\1 \2/p' "$out/speed.svg" | awk '{print $1 "," ($2 < 400 ? 400 : $2)}')"
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run \
      --hide-scrollbars --user-data-dir="$out/chromium" --window-size="$size" --screenshot="$out/speed.png" "file://$out/speed.svg" \
      >"$out/chromium.log" 2>&1 || echo "chromium could not draw $out/speed.png (see $out/chromium.log)" >&2
  rm -rf "$out/chromium"
fi
if [ ${#suites[@]} -eq ${#all[@]} ] && [ -z "${QUICK:-}" ] && [ "$have_torch" = 1 ] && [ -f "$out/speed.svg" ]; then
  cp "$out/speed.svg" "$root/docs/speed.svg"
  [ -f "$out/speed.png" ] && cp "$out/speed.png" "$root/docs/speed.png"
  echo "updated docs/speed.svg and docs/speed.png" >&2
fi
echo "(raw results in $out)" >&2
