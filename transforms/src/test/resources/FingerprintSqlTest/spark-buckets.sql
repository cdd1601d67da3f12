SELECT key_bucket, COUNT(*) AS row_count,
  SUM(CAST(CAST(conv(substr(md5(concat(COALESCE(d0, '-'), COALESCE(d1, '-'), COALESCE(d2, '-'))), 2, 15), 16, 10) AS BIGINT) AS DECIMAL(38,0))) AS row_sum,
  COUNT(*) - COUNT(d0) AS nulls_0, SUM(CAST(CAST(conv(substr(d0, 2, 15), 16, 10) AS BIGINT) AS DECIMAL(38,0))) AS sum_0,
  COUNT(*) - COUNT(d1) AS nulls_1, SUM(CAST(CAST(conv(substr(d1, 2, 15), 16, 10) AS BIGINT) AS DECIMAL(38,0))) AS sum_1,
  COUNT(*) - COUNT(d2) AS nulls_2, SUM(CAST(CAST(conv(substr(d2, 2, 15), 16, 10) AS BIGINT) AS DECIMAL(38,0))) AS sum_2
FROM (SELECT
    md5(CASE WHEN `id` IS NULL THEN NULL ELSE CAST(`id` AS STRING) END) AS d0,
    md5(CASE WHEN `small` IS NULL THEN NULL ELSE CAST(`small` AS STRING) END) AS d1,
    md5(CASE WHEN `n` IS NULL THEN NULL ELSE CAST(`n` AS STRING) END) AS d2,
    SUBSTRING(md5(concat(COALESCE(md5(CASE WHEN `id` IS NULL THEN NULL ELSE CAST(`id` AS STRING) END), '-'), COALESCE(md5(CASE WHEN `n` IS NULL THEN NULL ELSE CAST(`n` AS STRING) END), '-'))), 1, 3) AS key_bucket
  FROM `sales`.`orders` WHERE (`_lakeroute_run_id` = 'r1') AND SUBSTRING(md5(concat(COALESCE(md5(CASE WHEN `id` IS NULL THEN NULL ELSE CAST(`id` AS STRING) END), '-'), COALESCE(md5(CASE WHEN `n` IS NULL THEN NULL ELSE CAST(`n` AS STRING) END), '-'))), 1, 2) IN ('0a', 'f3')) fingerprinted GROUP BY key_bucket;

SELECT key_bucket, COUNT(*) AS row_count,
  SUM(CAST(CAST(conv(substr(md5(concat(COALESCE(d0, '-'), COALESCE(d1, '-'), COALESCE(d2, '-'))), 2, 15), 16, 10) AS BIGINT) AS DECIMAL(38,0))) AS row_sum,
  COUNT(*) - COUNT(d0) AS nulls_0, SUM(CAST(CAST(conv(substr(d0, 2, 15), 16, 10) AS BIGINT) AS DECIMAL(38,0))) AS sum_0,
  COUNT(*) - COUNT(d1) AS nulls_1, SUM(CAST(CAST(conv(substr(d1, 2, 15), 16, 10) AS BIGINT) AS DECIMAL(38,0))) AS sum_1,
  COUNT(*) - COUNT(d2) AS nulls_2, SUM(CAST(CAST(conv(substr(d2, 2, 15), 16, 10) AS BIGINT) AS DECIMAL(38,0))) AS sum_2
FROM (SELECT
    md5(CASE WHEN `id` IS NULL THEN NULL ELSE CAST(`id` AS STRING) END) AS d0,
    md5(CASE WHEN `small` IS NULL THEN NULL ELSE CAST(`small` AS STRING) END) AS d1,
    md5(CASE WHEN `n` IS NULL THEN NULL ELSE CAST(`n` AS STRING) END) AS d2,
    SUBSTRING(md5(concat(COALESCE(md5(CASE WHEN `id` IS NULL THEN NULL ELSE CAST(`id` AS STRING) END), '-'), COALESCE(md5(CASE WHEN `n` IS NULL THEN NULL ELSE CAST(`n` AS STRING) END), '-'))), 1, 1) AS key_bucket
  FROM `sales`.`orders`) fingerprinted GROUP BY key_bucket;

SELECT * FROM (SELECT CASE WHEN `id` IS NULL THEN NULL ELSE CAST(`id` AS STRING) END AS v0, CASE WHEN `small` IS NULL THEN NULL ELSE CAST(`small` AS STRING) END AS v1, CASE WHEN `n` IS NULL THEN NULL ELSE CAST(`n` AS STRING) END AS v2 FROM `sales`.`orders` WHERE (`_lakeroute_run_id` = 'r1') AND SUBSTRING(md5(concat(COALESCE(md5(CASE WHEN `id` IS NULL THEN NULL ELSE CAST(`id` AS STRING) END), '-'), COALESCE(md5(CASE WHEN `n` IS NULL THEN NULL ELSE CAST(`n` AS STRING) END), '-'))), 1, 4) IN ('0a1b', 'f3c4')) differing LIMIT 101;
