DESCRIBE SCHEMA `main`.`sales`;

CREATE TABLE IF NOT EXISTS `main`.`sales`.`customers` (`id` BIGINT, `small` SMALLINT, `n` INT, `amount` DECIMAL(38,10), `ratio` DOUBLE, `score` FLOAT, `active` BOOLEAN, `name` STRING, `payload` STRING, `born` DATE, `at` STRING, `created` TIMESTAMP_NTZ, `seen` TIMESTAMP, `odd ``name'` STRING, `_lakeroute_run_id` STRING) USING DELTA;

DESCRIBE TABLE `main`.`sales`.`customers`;

SET spark.sql.parquet.datetimeRebaseModeInWrite = CORRECTED;

SET spark.sql.parquet.int96RebaseModeInWrite = CORRECTED;

CREATE OR REPLACE TEMPORARY VIEW `lakeroute_run_20260101T000000Z` (`id` BIGINT, `small` SMALLINT, `n` INT, `amount` DECIMAL(38,10), `ratio` DOUBLE, `score` FLOAT, `active` BOOLEAN, `name` STRING, `payload` STRING, `born` DATE, `at` STRING, `created` TIMESTAMP_NTZ, `seen` TIMESTAMP, `odd ``name'` STRING) USING CSV OPTIONS ('path' 's3a://bucket/exports/customers/20260101T000000Z/', 'pathGlobFilter' '{part-00000-of-00002.csv.gz,part-00001-of-00002.csv.gz}', 'header' 'true', 'sep' ',', 'quote' '"', 'escape' '"', 'nullValue' '￿', 'multiLine' 'true', 'mode' 'FAILFAST', 'encoding' 'UTF-8', 'dateFormat' 'yyyy-MM-dd', 'timestampFormat' 'yyyy-MM-dd\'T\'HH:mm:ss.SSSSSSX', 'timestampNTZFormat' 'yyyy-MM-dd\'T\'HH:mm:ss.SSSSSS');

SELECT CAST(`id` AS STRING), COUNT(*) FROM `lakeroute_run_20260101T000000Z` GROUP BY `id` HAVING COUNT(*) > 1 LIMIT 1;

MERGE INTO `main`.`sales`.`customers` AS `target` USING (SELECT `id`, `small`, `n`, `amount`, `ratio`, `score`, `active`, `name`, `payload`, `born`, `at`, `created`, `seen`, `odd ``name'`, '20260101T000000Z' AS `_lakeroute_run_id` FROM `lakeroute_run_20260101T000000Z`) AS `source` ON `target`.`id` <=> `source`.`id` WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *;

SELECT COUNT(*) FROM `main`.`sales`.`customers` WHERE `_lakeroute_run_id` = '20260101T000000Z';
