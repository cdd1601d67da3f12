DESCRIBE SCHEMA `main`.`sales`;

CREATE TABLE IF NOT EXISTS `main`.`sales`.`customers` (`id` BIGINT, `small` SMALLINT, `n` INT, `amount` DECIMAL(38,10), `ratio` DOUBLE, `score` FLOAT, `active` BOOLEAN, `name` STRING, `payload` STRING, `born` DATE, `at` STRING, `created` TIMESTAMP_NTZ, `seen` TIMESTAMP, `odd ``name'` STRING, `_lakeroute_run_id` STRING) USING DELTA;

DESCRIBE TABLE `main`.`sales`.`customers`;

SET spark.sql.parquet.datetimeRebaseModeInWrite = CORRECTED;

SET spark.sql.parquet.int96RebaseModeInWrite = CORRECTED;

DELETE FROM `main`.`sales`.`customers` WHERE `_lakeroute_run_id` = '20260101T000000Z';

COPY INTO `main`.`sales`.`customers` FROM (SELECT CAST(`id` AS BIGINT) AS `id`, CAST(`small` AS SMALLINT) AS `small`, CAST(`n` AS INT) AS `n`, CAST(`amount` AS DECIMAL(38,10)) AS `amount`, CAST(`ratio` AS DOUBLE) AS `ratio`, CAST(`score` AS FLOAT) AS `score`, CAST(`active` AS BOOLEAN) AS `active`, CAST(`name` AS STRING) AS `name`, CAST(`payload` AS STRING) AS `payload`, CAST(`born` AS DATE) AS `born`, CAST(`at` AS STRING) AS `at`, CAST(`created` AS TIMESTAMP_NTZ) AS `created`, CAST(`seen` AS TIMESTAMP) AS `seen`, CAST(`odd ``name'` AS STRING) AS `odd ``name'`, '20260101T000000Z' AS `_lakeroute_run_id` FROM 's3://bucket/exports/customers/20260101T000000Z/') FILEFORMAT = CSV FILES = ('part-00000-of-00002.csv.gz', 'part-00001-of-00002.csv.gz') FORMAT_OPTIONS ('header' = 'true', 'sep' = ',', 'quote' = '"', 'escape' = '"', 'nullValue' = '￿', 'multiLine' = 'true', 'mode' = 'FAILFAST', 'encoding' = 'UTF-8', 'dateFormat' = 'yyyy-MM-dd', 'timestampFormat' = 'yyyy-MM-dd\'T\'HH:mm:ss.SSSSSSX', 'timestampNTZFormat' = 'yyyy-MM-dd\'T\'HH:mm:ss.SSSSSS') COPY_OPTIONS ('force' = 'true', 'mergeSchema' = 'false');

SELECT COUNT(*) FROM `main`.`sales`.`customers` WHERE `_lakeroute_run_id` = '20260101T000000Z';
