#!/usr/bin/env bash
# Submits a lakeroute route to Spark. Uses $SPARK_HOME/bin/spark-submit when SPARK_HOME is set;
# otherwise Spark's own SparkSubmit from the Spark jars the build resolved (no Spark install needed).
#   runners-config/spark-submit.sh --jdbcUrl=… --query=… --destination=…
# SPARK_MASTER (default local[2]) picks the cluster: local[N], spark://host:7077, yarn, k8s://…
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
jar="${LAKEROUTE_JAR:-$here/pipelines/target/lakeroute.jar}"
runners="$here/pipelines/target/runners"
[ -f "$jar" ] || { echo "spark-submit.sh: $jar is missing: build it with 'mvn -B package -DskipTests'" >&2; exit 2; }
opens="$(cat "$runners/jvm-opens.txt")"
if [ -n "${SPARK_HOME:-}" ]; then
  submit=("$SPARK_HOME/bin/spark-submit")
else
  submit=(java $opens -cp "$(cat "$runners/spark.classpath")" org.apache.spark.deploy.SparkSubmit)
fi
exec "${submit[@]}" \
  --master "${SPARK_MASTER:-local[2]}" \
  --conf spark.ui.enabled=false \
  --driver-java-options "$opens" \
  --conf "spark.executor.extraJavaOptions=$opens" \
  --class io.lakeroute.pipelines.Lakeroute \
  "$jar" --runner=SparkRunner "$@"
