#!/usr/bin/env bash
# `mpirun -n N initlab sweep`: the files are byte-identical for N = 1, 2, 3 and the
# run without mpirun; a rank lost part-way makes the job exit non-zero naming the
# configurations it lost, and --resume then ends byte-identical. Runs on loopback
# (as root too); skipped, saying so, where the tool was built without MPI.
source "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

if ! "$INITLAB" sweep --help | grep -q 'MPI: built in' || ! command -v mpirun >/dev/null; then
  echo "skip: initlab was built without MPI or mpirun is missing (scripts/deps.sh installs Open MPI)"
  exit 0
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl=self,vader OMPI_MCA_rmaps_base_oversubscribe=1
mpi() { local n=$1; shift; mpirun -n "$n" --oversubscribe "$INITLAB" "$@"; }
# Under ASan, Open MPI's own allocations, kept past MPI_Finalize, are suppressed by
# library (openmpi.lsan.supp). Its components stay loaded (disable_dlclose) and
# stacks are unwound in full (fast_unwind_on_malloc=0, through the uninstrumented
# libraries), so every such report names the library it comes from.
if sanitized; then
  export OMPI_MCA_mca_base_component_disable_dlclose=1
  export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0
  export LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(cd "$(dirname "$0")" && pwd)/openmpi.lsan.supp
fi

cat >"$tmp/p.json" <<'JSON'
{"study": "phase", "activation": ["tanh", "relu"], "sw2": [0.5, 1, 2, 4], "sb2": [0, 0.1],
 "width": 64, "depth": 20, "seeds": 2, "pairs": 4}
JSON
"$INITLAB" sweep "$tmp/p.json" --out "$tmp/plain" --threads 1 >/dev/null
for n in 1 2 3; do
  mpi "$n" sweep "$tmp/p.json" --out "$tmp/n$n" >"$tmp/n$n.txt"
  check "mpirun -n $n exits 0" test $? -eq 0
  check "mpirun -n $n says $n workers" grep -q "on $n workers" "$tmp/n$n.txt"
  check "mpirun -n $n: CSV identical to the run without MPI" cmp "$tmp/plain/sweep.csv" "$tmp/n$n/sweep.csv"
  check "mpirun -n $n: JSON identical to the run without MPI" cmp "$tmp/plain/sweep.json" "$tmp/n$n/sweep.json"
done
example=$2/examples/sweeps/phase-small.json
"$INITLAB" sweep "$example" --out "$tmp/example-plain" >/dev/null
mpi 2 sweep "$example" --out "$tmp/example-n2" >/dev/null
check "the example: mpirun -n 2 CSV identical to the run without MPI" cmp "$tmp/example-plain/sweep.csv" "$tmp/example-n2/sweep.csv"
check "the example: mpirun -n 2 JSON identical to the run without MPI" cmp "$tmp/example-plain/sweep.json" "$tmp/example-n2/sweep.json"
mpi 2 sweep "$tmp/p.json" --out "$tmp/n2b" --threads 3 >/dev/null 2>"$tmp/threads.err"
check "--threads 3 under MPI fails" test $? -ne 0
check "--threads 3 under MPI is named" grep -q -- '--threads 3: under MPI' "$tmp/threads.err"

# A lost rank: SIGTERM to rank 2 of 3 once some configurations are done.
width=$(sanitized && echo 64 || echo 256)
cat >"$tmp/slow.json" <<JSON
{"study": "phase", "sw2": [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4], "sb2": [0, 0.05, 0.1],
 "width": $width, "depth": 200, "seeds": 2, "pairs": 4}
JSON
# depth 200: each configuration takes ~0.2 s, so the kill below (after 4 of 24) comes
# part-way even when a loaded machine wakes this shell late. Width 64 under a
# sanitizer: 16 times less work a layer, about as slow there.
"$INITLAB" sweep "$tmp/slow.json" --out "$tmp/whole" >/dev/null
mpirun -n 3 --oversubscribe "$INITLAB" sweep "$tmp/slow.json" --out "$tmp/lost" >/dev/null 2>"$tmp/lost.err" &
job=$!  # mpirun; the ranks are its children
victim=
for _ in $(seq 3000); do
  if [[ -z $victim ]]; then
    for p in $(pgrep -P "$job"); do
      grep -qz '^OMPI_COMM_WORLD_RANK=2$' "/proc/$p/environ" 2>/dev/null && victim=$p
    done
  fi
  [[ -n $victim && $(wc -l 2>/dev/null <"$tmp/lost/journal.jsonl" || echo 0) -ge 4 ]] && break
  sleep 0.02
done
check "found rank 2" test -n "$victim"
kill -TERM "$victim"
wait "$job"; rc=$?
check "the job with a lost rank exits non-zero ($rc)" test "$rc" -ne 0
check "it names the configurations it lost" grep -qE 'configurations lost \(running, not in the journal\): [0-9]+ \(rank [0-9]\)' "$tmp/lost.err"
check "no sweep.csv at the final path" test ! -e "$tmp/lost/sweep.csv"
check "no sweep.json at the final path" test ! -e "$tmp/lost/sweep.json"
mpi 2 sweep "$tmp/slow.json" --out "$tmp/lost" --resume >"$tmp/resume.txt"
check "resume under mpirun -n 2 exits 0" test $? -eq 0
check "resumed CSV identical to an uninterrupted run" cmp "$tmp/whole/sweep.csv" "$tmp/lost/sweep.csv"
check "resumed JSON identical to an uninterrupted run" cmp "$tmp/whole/sweep.json" "$tmp/lost/sweep.json"

# SIGTERM to every rank at once; then resume without MPI.
mpirun -n 2 --oversubscribe "$INITLAB" sweep "$tmp/slow.json" --out "$tmp/all" >/dev/null 2>"$tmp/all.err" &
job=$!
for _ in $(seq 3000); do
  [[ $(wc -l 2>/dev/null <"$tmp/all/journal.jsonl" || echo 0) -ge 4 ]] && break
  sleep 0.02
done
ranks=$(pgrep -P "$job")
check "found both ranks" test "$(wc -w <<<"$ranks")" -eq 2
kill -TERM $ranks
wait "$job"; rc=$?
check "SIGTERM to all ranks: the job exits non-zero ($rc)" test "$rc" -ne 0
check "SIGTERM to all ranks: no sweep.csv at the final path" test ! -e "$tmp/all/sweep.csv"
check "SIGTERM to all ranks: part-way" test "$(wc -l <"$tmp/all/journal.jsonl")" -lt 25
"$INITLAB" sweep "$tmp/slow.json" --out "$tmp/all" --resume >/dev/null
check "resumed without MPI: CSV identical to an uninterrupted run" cmp "$tmp/whole/sweep.csv" "$tmp/all/sweep.csv"
check "resumed without MPI: JSON identical to an uninterrupted run" cmp "$tmp/whole/sweep.json" "$tmp/all/sweep.json"
finish
