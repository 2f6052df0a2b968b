# Shared by the shell tests (tests/*/run.sh), which define fail() before sourcing it.

# wait_serving LOG PID WHAT: returns once `shpalta serve` has written to LOG that it serves; fails, naming WHAT, when
# the process PID stops first or a minute passes.
wait_serving() {
    local log=$1 pid=$2 what=$3
    for _ in $(seq 1 600); do
        grep -q "Shpalta serves" "$log" && return 0
        kill -0 "$pid" 2>/dev/null || fail "$what stopped"
        sleep 0.1
    done
    fail "$what did not start within a minute"
}
