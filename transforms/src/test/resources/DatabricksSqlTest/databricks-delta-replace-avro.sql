DESCRIBE SCHEMA `main`.`sales`;

CREATE TABLE IF NOT EXISTS `main`.`sales`.`customers` (`id` BIGINT, `small` INT, `n` INT, `amount` DECIMAL(38,10), `ratio` DOUBLE, `score` FLOAT, `active` BOOLEAN, `name` STRING, `payload` BINARY, `born` DATE, `at` STRING, `created` TIMESTAMP_NTZ, `seen` TIMESTAMP, `odd ``name'` STRING, `_lakeroute_run_id` STRING) USING DELTA;

DESCRIBE TABLE `main`.`sales`.`customers`;

INSERT OVERWRITE TABLE `main`.`sales`.`customers` SELECT `id`, `small`, `n`, `amount`, `ratio`, `score`, `active`, `name`, `payload`, `born`, `at`, `created`, `seen`, `odd ``name'`, '20260101T000000Z' AS `_lakeroute_run_id` FROM read_files('s3://bucket/exports/customers/20260101T000000Z/', format => 'avro', fileNamePattern => '{part-00000-of-00002.avro,part-00001-of-00002.avro}', schema => '`id` BIGINT, `small` INT, `n` INT, `amount` DECIMAL(38,10), `ratio` DOUBLE, `score` FLOAT, `active` BOOLEAN, `name` STRING, `payload` BINARY, `born` DATE, `at` STRING, `created` TIMESTAMP_NTZ, `seen` TIMESTAMP, `odd ``name\'` STRING', datetimeRebaseMode => 'CORRECTED');

SELECT COUNT(*) FROM `main`.`sales`.`customers`;
