#!/usr/bin/env bash
# Submits a lakeroute route to Spark:
#   runners-config/spark-submit.sh [spark-submit options --] lakeroute flags
#   runners-config/spark-submit.sh --jdbcUrl=… --query=… --destination=…
#   runners-config/spark-submit.sh --driver-memory 2g --conf spark.executor.memory=4g -- @conf/customers.args
# Without a `--`, every argument goes to lakeroute. Spark options come after the script's own, so
# they win (e.g. --conf spark.ui.enabled=true).
# SPARK_MASTER (default local[2]) picks the cluster: local[N], spark://host:7077, yarn, k8s://…
# SPARK_HOME set: its bin/spark-submit runs, so an edge node needs only Spark and the jar (Spark
# 3.3+ adds JDK 17's --add-opens to the driver and executors itself). Unset: Spark's SparkSubmit
# from the jars the build resolved into runners-config/spark-dist/target (no Spark install needed).
# LAKEROUTE_JAR: the shaded jar, default pipelines/target/lakeroute.jar of this checkout.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
jar="${LAKEROUTE_JAR:-$here/pipelines/target/lakeroute.jar}"
[ -f "$jar" ] || { echo "spark-submit.sh: $jar is missing: build it with 'mvn -B package -DskipTests' or set LAKEROUTE_JAR" >&2; exit 2; }

spark_args=()
app_args=("$@")
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = "--" ]; then
    spark_args=("${@:1:i-1}")
    app_args=("${@:i+1}")
    break
  fi
done

master="${SPARK_MASTER:-local[2]}"
# A local master stays on loopback, whatever the host name resolves to.
[[ "$master" == local* ]] && export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
if [ -n "${SPARK_HOME:-}" ]; then
  [ -x "$SPARK_HOME/bin/spark-submit" ] || { echo "spark-submit.sh: SPARK_HOME=$SPARK_HOME has no bin/spark-submit" >&2; exit 2; }
  submit=("$SPARK_HOME/bin/spark-submit")
else
  dist="$here/runners-config/spark-dist/target"
  [ -f "$dist/spark.classpath" ] || { echo "spark-submit.sh: set SPARK_HOME, or build with 'mvn -B package -DskipTests' to resolve Spark" >&2; exit 2; }
  # shellcheck disable=SC2046
  submit=(java $(cat "$dist/jvm-opens.txt") -cp "$(cat "$dist/spark.classpath")" org.apache.spark.deploy.SparkSubmit)
fi
exec "${submit[@]}" \
  --master "$master" \
  --conf spark.ui.enabled=false \
  --class io.lakeroute.pipelines.Lakeroute \
  ${spark_args[@]+"${spark_args[@]}"} \
  "$jar" --runner=SparkRunner ${app_args[@]+"${app_args[@]}"}
