# Shared by the benchmark scripts: finds a JDK 21+, makes sure the database and the jar exist, and
# starts the application with a bootstrapped tenant. Source it; it sets java_home, jar, secret,
# publishable and app.

DB_URL=${BENCH_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/meshcp_bench}
# The owner runs the migrations; the application logs in as a role that owns nothing, as in production.
DB_USER=${BENCH_DATABASE_USER:-postgres}
DB_PASSWORD=${BENCH_DATABASE_PASSWORD:-}
APP_DB_USER=${BENCH_APP_DATABASE_USER:-meshcp_bench_app}
APP_DB_PASSWORD=${BENCH_APP_DATABASE_PASSWORD:-meshcp_bench_app}
PORT=${BENCH_PORT:-18080}

source bench/java-home.sh

if [ -z "${BENCH_DATABASE_URL:-}" ]; then
  psql -h 127.0.0.1 -U postgres -tc "select 1 from pg_database where datname = 'meshcp_bench'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -qc "create database meshcp_bench"
fi
# The default login is made here on the local server; one named in BENCH_APP_DATABASE_USER must exist.
if [ -z "${BENCH_APP_DATABASE_USER:-}" ]; then
  psql -h 127.0.0.1 -U postgres -tc "select 1 from pg_roles where rolname = '$APP_DB_USER'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -qc "create role $APP_DB_USER login noinherit password '$APP_DB_PASSWORD'"
fi

./mvnw -B -q -DskipTests package
jar=$(ls target/mesh-control-plane-*.jar | grep -v '\.original$' | head -n 1)

run=$(date +%s)
secret="mesh_sk_bench${run}$(tr -d - < /proc/sys/kernel/random/uuid)"
publishable="mesh_pk_bench${run}$(tr -d - < /proc/sys/kernel/random/uuid)"

# start_app LOG [JVM options...]: starts the jar in the background (extra settings come from the
# environment) and waits until it is ready.
start_app() {
  local log=$1
  shift
  SERVER_PORT=$PORT SPRING_DATASOURCE_URL=$DB_URL SPRING_DATASOURCE_USERNAME=$APP_DB_USER \
    SPRING_DATASOURCE_PASSWORD=$APP_DB_PASSWORD SPRING_FLYWAY_USER=$DB_USER SPRING_FLYWAY_PASSWORD=$DB_PASSWORD \
    MESHCP_BOOTSTRAP_TENANT_NAME="Bench $run" \
    MESHCP_BOOTSTRAP_OWNER_EMAIL="bench-$run@example.com" MESHCP_BOOTSTRAP_SECRET_KEY=$secret \
    MESHCP_BOOTSTRAP_PUBLISHABLE_KEY=$publishable LOGGING_LEVEL_ROOT=warn \
    "$java_home/bin/java" "$@" -jar "$jar" > "$log" 2>&1 &
  app=$!
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$PORT/actuator/health/readiness" >/dev/null 2>&1 && return 0
    kill -0 $app 2>/dev/null || { echo "the application did not start; see $log" >&2; exit 1; }
    sleep 1
  done
  echo "the application did not become ready; see $log" >&2
  exit 1
}

# seed_organisations PSQL_URL LABEL COUNT FIRST_STREAMS STREAMS: COUNT organisations named "LABEL <run> nnnnn", each
# with a publishable key (stored as the application stores it: the key's SHA-256) and streams s0, s1, ... with a
# three-rendition ladder: FIRST_STREAMS for the first organisation, STREAMS for each other. Prints the keys, one per
# line, the first organisation's first.
seed_organisations() {
  local url=$1 label=$2 count=$3 first=$4 streams=$5
  psql "$url" -qAt -v ON_ERROR_STOP=1 <<SQL
insert into tenants (id, name, created_at)
  select gen_random_uuid(), '$label $run ' || lpad(t::text, 5, '0'), now() from generate_series(0, $count - 1) t;
create temporary table bench_tenants as
  select id, row_number() over (order by name) - 1 as n, 'mesh_pk_' || md5('$run' || id::text) as key
  from tenants where name like '$label $run %';
insert into api_keys (id, tenant_id, kind, name, display_prefix, key_hash, created_by, created_at)
  select gen_random_uuid(), id, 'PUBLISHABLE', '$label', left(key, 16), sha256(convert_to(key, 'UTF8')),
    'bench', now() from bench_tenants;
insert into streams (id, tenant_id, external_id, name, kind, renditions, created_at, updated_at)
  select gen_random_uuid(), t.id, 's' || s, 'Stream ' || s || ' of ' || t.n, 'LIVE',
    '[{"id": "1080p", "bitrate": 6000000}, {"id": "720p", "bitrate": 3000000}, {"id": "480p", "bitrate": 1200000}]',
    now(), now()
  from bench_tenants t, generate_series(0, case when t.n = 0 then $first else $streams end - 1) s;
select key from bench_tenants order by n;
SQL
  psql "$url" -qc "vacuum analyze"
}
