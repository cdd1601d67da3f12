#!/usr/bin/env bash
# Submits a lakeroute route to Spark. Uses $SPARK_HOME/bin/spark-submit when SPARK_HOME is set;
# otherwise Spark's own SparkSubmit from the Spark jars the build resolved (no Spark install needed).
#   runners-config/spark-submit.sh --jdbcUrl=… --query=… --destination=…
# SPARK_MASTER (default local[2]) picks the cluster: local[N], spark://host:7077, yarn, k8s://…
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
jar="${LAKEROUTE_JAR:-$here/pipelines/target/lakeroute.jar}"
dist="$here/runners-config/spark-dist/target"
[ -f "$jar" ] || { echo "spark-submit.sh: $jar is missing: build it with 'mvn -B package -DskipTests'" >&2; exit 2; }
[ -f "$dist/spark.classpath" ] || [ -n "${SPARK_HOME:-}" ] || { echo "spark-submit.sh: set SPARK_HOME, or build with 'mvn -B package -DskipTests' to resolve Spark" >&2; exit 2; }
opens="$(cat "$dist/jvm-opens.txt")"
master="${SPARK_MASTER:-local[2]}"
# A local master stays on loopback, whatever the host name resolves to.
[[ "$master" == local* ]] && export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
if [ -n "${SPARK_HOME:-}" ]; then
  submit=("$SPARK_HOME/bin/spark-submit")
else
  submit=(java $opens -cp "$(cat "$dist/spark.classpath")" org.apache.spark.deploy.SparkSubmit)
fi
exec "${submit[@]}" \
  --master "$master" \
  --conf spark.ui.enabled=false \
  --driver-java-options "$opens" \
  --conf "spark.executor.extraJavaOptions=$opens" \
  --class io.lakeroute.pipelines.Lakeroute \
  "$jar" --runner=SparkRunner "$@"
