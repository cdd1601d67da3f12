DESCRIBE SCHEMA `main`.`sales`;

CREATE TABLE IF NOT EXISTS `main`.`sales`.`customers` (`id` BIGINT, `small` SMALLINT, `n` INT, `amount` DECIMAL(38,10), `ratio` DOUBLE, `score` FLOAT, `active` BOOLEAN, `name` STRING, `payload` BINARY, `born` DATE, `at` STRING, `created` TIMESTAMP_NTZ, `seen` TIMESTAMP, `odd ``name'` STRING, `_lakeroute_run_id` STRING) USING DELTA;

DESCRIBE TABLE `main`.`sales`.`customers`;

SET spark.sql.parquet.datetimeRebaseModeInWrite = CORRECTED;

SET spark.sql.parquet.int96RebaseModeInWrite = CORRECTED;

CREATE OR REPLACE TEMPORARY VIEW `lakeroute_run_20260101T000000Z` (`id` BIGINT, `small` SMALLINT, `n` INT, `amount` DECIMAL(38,10), `ratio` DOUBLE, `score` FLOAT, `active` BOOLEAN, `name` STRING, `payload` BINARY, `born` DATE, `at` STRING, `created` TIMESTAMP_NTZ, `seen` TIMESTAMP, `odd ``name'` STRING) USING PARQUET OPTIONS ('path' 's3://bucket/exports/customers/20260101T000000Z/', 'pathGlobFilter' '{part-00000-of-00002.parquet,part-00001-of-00002.parquet}', 'datetimeRebaseMode' 'CORRECTED', 'int96RebaseMode' 'CORRECTED');

SELECT CAST(`id` AS STRING), CAST(`odd ``name'` AS STRING), COUNT(*) FROM `lakeroute_run_20260101T000000Z` GROUP BY `id`, `odd ``name'` HAVING COUNT(*) > 1 LIMIT 1;

MERGE INTO `main`.`sales`.`customers` AS `target` USING (SELECT `id`, `small`, `n`, `amount`, `ratio`, `score`, `active`, `name`, `payload`, `born`, `at`, `created`, `seen`, `odd ``name'`, '20260101T000000Z' AS `_lakeroute_run_id` FROM `lakeroute_run_20260101T000000Z`) AS `source` ON `target`.`id` <=> `source`.`id` AND `target`.`odd ``name'` <=> `source`.`odd ``name'` WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *;

SELECT COUNT(*) FROM `main`.`sales`.`customers` WHERE `_lakeroute_run_id` = '20260101T000000Z';
