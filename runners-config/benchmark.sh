#!/usr/bin/env bash
# Benchmark: loads N rows (default 4 000 000) of the customer shape into a private PostgreSQL 15 and
# times, each in its own JVM with the same heap: a plain JDBC read (the baseline), Spark's
# read.jdbc → write.parquet, and lakeroute's route 1 to local Parquet on the Direct and Spark runners.
# Usage: runners-config/benchmark.sh [rows] [partitions] [systems, e.g. baseline,spark,direct,sparkrunner]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B install -DskipTests
mvn -q -B -pl pipelines dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
opens="$(cat runners-config/spark-dist/target/jvm-opens.txt)"
cp="pipelines/target/test-classes:pipelines/target/classes:$(cat pipelines/target/bench.classpath)"
exec java $opens -Dlakeroute.jdk17.opens="$opens" -cp "$cp" io.lakeroute.bench.Benchmark "$@"
