#!/bin/sh
# The streaming function's handler. With AWS_LAMBDA_EXEC_WRAPPER=/opt/bootstrap, the Lambda Web
# Adapter layer runs this script instead of the Java runtime's own client; the adapter then turns
# each invocation into an HTTP request to our server on AWS_LWA_PORT and streams the answer back.
#
# JVM flags: C1 only (TieredStopAtLevel=1) starts fastest, which is what a cold start pays for;
# the serial collector suits Lambda's one or two vCPUs; the heap may use most of the function's
# memory, as the managed Java runtime allows too. JAVA_TOOL_OPTIONS, when set, still applies.
# log4j2-streaming.properties (in the jar) fills the log fields a Lambda context would give.
# Native access: the CRT HTTP client (Bedrock streams) loads a native library, which JDK 25
# allows only with a warning unless it is enabled.
set -eu
task_root="${LAMBDA_TASK_ROOT:-$(dirname "$0")}"
exec java \
  -XX:+TieredCompilation -XX:TieredStopAtLevel=1 \
  -XX:+UseSerialGC \
  -XX:MaxRAMPercentage=75 \
  -Xshare:auto \
  --enable-native-access=ALL-UNNAMED \
  -Dlog4j2.configurationFile=log4j2-streaming.properties \
  -cp "$task_root/tollgate-proxy-lambda.jar" \
  dev.tollgate.proxy.StreamingMain
