"""Airflow DAG: deliver the customers table to Databricks every day, one logical date per DAG run.

Each DAG run passes its own date (``{{ ds }}``) as --logicalDate, so a cleared task, a retry or a
backfill (``airflow dags backfill -s 2026-11-01 -e 2026-11-03 lakeroute_customers_daily``) re-runs
exactly that date and replaces its data; nothing is ever duplicated. Only exit code 75 (a connection
lost mid-run) is retried; any other failure needs a person and fails the task at once.
"""

import subprocess
from datetime import datetime, timedelta

from airflow import DAG
from airflow.exceptions import AirflowException, AirflowFailException
from airflow.operators.python import PythonOperator

LAKEROUTE = "/opt/lakeroute"
TRANSIENT = 75


def run_lakeroute(ds, **_):
    command = [
        f"{LAKEROUTE}/runners-config/spark-submit.sh",
        f"@{LAKEROUTE}/conf/customers.args",
        f"--logicalDate={ds}",
        f"--summaryPath=/var/log/lakeroute/customers-{ds}.json",
    ]
    # SPARK_MASTER picks the cluster (yarn, spark://…, k8s://…); secrets are files named in the args.
    status = subprocess.run(command, check=False).returncode
    if status == TRANSIENT:
        raise AirflowException(f"lakeroute lost a connection for {ds} (exit 75): retrying")
    if status != 0:
        raise AirflowFailException(
            f"lakeroute failed for {ds} with exit {status}:"
            " see docs/operations.md 'Exit codes' and the summary"
        )


with DAG(
    dag_id="lakeroute_customers_daily",
    start_date=datetime(2026, 11, 1),
    schedule="15 2 * * *",
    catchup=True,
    max_active_runs=1,  # dates run one after another, like a lakeroute backfill
    default_args={"retries": 3, "retry_delay": timedelta(minutes=5), "retry_exponential_backoff": True},
) as dag:
    PythonOperator(task_id="deliver_customers", python_callable=run_lakeroute)
