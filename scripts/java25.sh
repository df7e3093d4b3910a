# Sourced by ./tollgate, .ci/run and bench/run.sh: makes JAVA_HOME a JDK 25 (or later).
# Keeps a JAVA_HOME that already is one; otherwise looks in the usual install places.
tollgate_java_major() {
  "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
}

tollgate_select_jdk25() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/*-25* /usr/lib/jvm/jdk-25* \
      /Library/Java/JavaVirtualMachines/*25*/Contents/Home "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    major=$(tollgate_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      # Maven 3.8/3.9 bundle a Guava that calls sun.misc.Unsafe; JDK 24+ warns about it on every run.
      case " ${MAVEN_OPTS:-} " in
        *sun-misc-unsafe-memory-access*) ;;
        *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
      esac
      return 0
    fi
  done
  echo "Tollgate needs JDK 25 or later: install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}

tollgate_select_jdk25
