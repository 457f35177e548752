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
