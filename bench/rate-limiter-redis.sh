#!/usr/bin/env bash
# Token buckets in Redis: ours against Bucket4j's Lettuce backend, in one run against one Redis (bench/RateLimiterRedis.java
# says what is measured). Needs a JDK 21+ and a Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379).
# Prints a Markdown table for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."

REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379}
THREADS=${BENCH_THREADS:-16}
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
BUCKET4J=8.16.0

source bench/java-home.sh

./mvnw -B -q -DskipTests -Dcodegen.skip=true compile dependency:build-classpath -DincludeScope=runtime \
  -Dmdep.outputFile=target/bench-runtime-classpath.txt
./mvnw -B -q dependency:get -Dartifact=com.bucket4j:bucket4j_jdk17-lettuce:$BUCKET4J
bucket4j=""
for module in core redis-common lettuce; do
  bucket4j="$bucket4j:$HOME/.m2/repository/com/bucket4j/bucket4j_jdk17-$module/$BUCKET4J/bucket4j_jdk17-$module-$BUCKET4J.jar"
done
"$java_home/bin/java" -cp "target/classes:$(cat target/bench-runtime-classpath.txt)$bucket4j" bench/RateLimiterRedis.java \
  "$REDIS_URL" "$THREADS" "$SECONDS_PER_RUN"
