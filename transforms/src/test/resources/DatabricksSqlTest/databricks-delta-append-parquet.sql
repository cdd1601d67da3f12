DESCRIBE SCHEMA `main`.`sales`;

CREATE TABLE IF NOT EXISTS `main`.`sales`.`customers` (`id` BIGINT, `small` SMALLINT, `n` INT, `amount` DECIMAL(38,10), `ratio` DOUBLE, `score` FLOAT, `active` BOOLEAN, `name` STRING, `payload` BINARY, `born` DATE, `at` STRING, `created` TIMESTAMP_NTZ, `seen` TIMESTAMP, `odd ``name'` STRING, `_lakeroute_run_id` STRING) USING DELTA;

DESCRIBE TABLE `main`.`sales`.`customers`;

DELETE FROM `main`.`sales`.`customers` WHERE `_lakeroute_run_id` = '20260101T000000Z';

COPY INTO `main`.`sales`.`customers` FROM (SELECT `id`, `small`, `n`, `amount`, `ratio`, `score`, `active`, `name`, `payload`, `born`, `at`, `created`, `seen`, `odd ``name'`, '20260101T000000Z' AS `_lakeroute_run_id` FROM 's3://bucket/exports/customers/20260101T000000Z/') FILEFORMAT = PARQUET FILES = ('part-00000-of-00002.parquet', 'part-00001-of-00002.parquet') FORMAT_OPTIONS ('datetimeRebaseMode' = 'CORRECTED', 'int96RebaseMode' = 'CORRECTED') COPY_OPTIONS ('force' = 'true', 'mergeSchema' = 'false');

SELECT COUNT(*) FROM `main`.`sales`.`customers` WHERE `_lakeroute_run_id` = '20260101T000000Z';
