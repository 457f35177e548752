# Shared by the tracker benchmarks (tracker-load.sh, tracker-two-nodes.sh, tracker-memory.sh). Source it after
# common.sh: p2p_token needs its publishable key; load also needs java_home, CONNECTIONS, WARMUP, MEASURE and
# LOAD_CPUS.

# p2p_token BASE_URL: a signaling token for stream "bench". The token binds the tenant, stream, device class and
# NAT type; a session in the holdout cohort gets none, so sessions are tried until one is in the p2p cohort.
# Every generated peer uses the same token.
p2p_token() {
  local token="" n
  for n in $(seq 1000 1100); do
    token=$(curl -fs "$1/v1/client-config?key=$publishable&stream=bench&device=desktop&nat=open&session=benchsession$n" \
      | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
    [ -n "$token" ] && break
  done
  [ -n "$token" ] || { echo "client-config issued no signaling token" >&2; return 1; }
  echo "$token"
}

# load URLS: the load generator (bench/TrackerLoad.java) against one tracker URL or several, comma-separated.
load() {
  taskset -c "$LOAD_CPUS" "$java_home/bin/java" -Xmx1g bench/TrackerLoad.java "$1" "$CONNECTIONS" "$WARMUP" "$MEASURE" 1
}

# field NAME OUTPUT: one name=value of the generator's summary line.
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<< "$2"; }
