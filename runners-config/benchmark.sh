#!/usr/bin/env bash
# Benchmark (docs/performance.md): loads N rows of the 20-column customer table into a private
# PostgreSQL 15 and times, each as a process of its own with the same heap, in interleaved rounds:
# a plain JDBC read (the baseline), PostgreSQL's COPY TO STDOUT, Spark 3.5's read.jdbc → write.<format>,
# and lakeroute as users run it: the shaded jar with @runners-config/direct.args, and spark-submit.sh.
# Usage: runners-config/benchmark.sh [--rows=4000000,10000000] [--formats=parquet,csv,json,avro]
#        [--systems=jdbc,pgcopy,spark,direct,sparkrunner] [--rounds=2] [--heap=1g] [--out=target/benchmark]
#        (direct-counts: the Direct run with --fingerprints=false, what fingerprints cost)
#        [--profile]   (a JFR recording of each Direct run, summarized per step by Profile)
#        [--reportOnly] (the table and plot again from --out/results.csv)
#        runners-config/benchmark.sh --fingerprintCost   (what fingerprints cost per row, in one thread)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B ${MAVEN_ARGS:-} package -DskipTests dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
opens="$(cat runners-config/spark-dist/target/jvm-opens.txt)"
cp="pipelines/target/test-classes:pipelines/target/classes:$(cat pipelines/target/bench.classpath)"
exec java $opens -Dlakeroute.jdk17.opens="$opens" -cp "$cp" io.lakeroute.bench.Benchmark "$@"
