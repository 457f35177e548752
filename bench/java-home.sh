# Sourced by the benchmark scripts: sets java_home to a JDK 21+ (JAVA_HOME if it is one, else the first under
# /usr/lib/jvm), since the machine's default java may be older.
java_home=""
for home in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  [ -x "$home/bin/jcmd" ] || continue
  major=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')
  if [ "${major:-0}" -ge 21 ]; then java_home="$home"; break; fi
done
[ -n "$java_home" ] || { echo "no JDK 21+ found" >&2; exit 1; }
