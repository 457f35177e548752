# Shared by the tracker benchmarks (tracker-load.sh, tracker-two-nodes.sh, tracker-memory.sh). Source it after
# common.sh: require_tokens and load need its publishable key; load also needs java_home, CONNECTIONS, WARMUP,
# MEASURE and LOAD_CPUS.
#
# The generated peers are viewers behind a load balancer, so they run against the tracker's shipped limits: each
# gets its own signaling token for its own playback session from client-config (bench/TrackerLoad.java and
# bench/IdlePeers.java fetch them, sessions bench00000000, bench00000001, ...), and each handshake carries an
# X-Forwarded-For address from 198.18.0.0/15, four peers to an address, which the tracker trusts from 127.0.0.1.

# require_tokens BASE_URL: fails unless client-config issues signaling tokens for stream "bench" (a session in the
# holdout cohort gets none, so a few sessions are tried). Also loads client-config's caches before a measurement.
require_tokens() {
  local n body
  for n in $(seq 1000 1100); do
    body=$(curl -fs "$1/v1/client-config?key=$publishable&stream=bench&device=desktop&nat=open&session=benchcheck$n") \
      || continue
    grep -q '"signaling":{[^}]*"token":"' <<< "$body" && return 0
  done
  echo "client-config issued no signaling token" >&2
  return 1
}

# load TRACKER_URLS [CLIENT_CONFIG_URL]: the load generator (bench/TrackerLoad.java) against one tracker URL or
# several, comma-separated. With CLIENT_CONFIG_URL each peer first gets its own token there (not measured). Warns
# when the server closed connections during the run: its numbers are then not those of the load asked for.
load() {
  local out
  # LOAD_PACE (announces per second per peer; unset: closed loop) and LOAD_MAX_SWARMS: see bench/TrackerLoad.java.
  out=$(taskset -c "$LOAD_CPUS" "$java_home/bin/java" -Xmx1g ${LOAD_PACE:+-Dpace=$LOAD_PACE} \
    ${LOAD_MAX_SWARMS:+-DmaxSwarms=$LOAD_MAX_SWARMS} bench/TrackerLoad.java "$1" "$CONNECTIONS" "$WARMUP" \
    "$MEASURE" 1 ${2:+"$2" "$publishable"}) || return
  [ "$(field closed "$out")" = 0 ] \
    || echo "warning: the server closed $(field closed "$out") of $CONNECTIONS connections during the run" >&2
  echo "$out"
}

# cpu_seconds PID: the CPU time a process has used so far (user and system), in seconds.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat"
}

# field NAME OUTPUT: one name=value of the generator's summary line.
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<< "$2"; }

# refusals BASE_URL: the tracker's refusals so far by reason (meshcp.signaling.refusals), or "none".
refusals() {
  curl -fs "$1/actuator/prometheus" | awk '/^meshcp_signaling_refusals_total\{/ && $2 > 0 {
      match($0, /reason="[^"]*"/); printf "%s%s %d", sep, substr($0, RSTART + 8, RLENGTH - 9), $2; sep = ", "; n++ }
    END { if (!n) printf "none"; print "" }'
}
