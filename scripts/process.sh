# shellcheck shell=bash
# Sourced: pid_running PID — whether PID is a process that still runs. A
# killed process is a zombie until its parent reaps it, and `kill -0`
# succeeds on a zombie; in a container whose init reaps orphans every two
# seconds or so, waiting with `kill -0` for a SIGKILLed storage node took
# 1.4-2 s after its ports and files were already closed, long enough for
# its backup to take its group over before the restart the test meant to
# be quick (tests/cluster/replication.py, check e).
pid_running() {
  local state
  state="$(ps -o stat= -p "$1" 2> /dev/null)" || return 1
  [ -n "$state" ] && [ "${state:0:1}" != Z ]
}
