DESCRIBE SCHEMA `main`.`sales`;

CREATE TABLE IF NOT EXISTS `main`.`sales`.`customers` (`id` BIGINT, `small` SMALLINT, `n` INT, `amount` DECIMAL(38,10), `ratio` DOUBLE, `score` FLOAT, `active` BOOLEAN, `name` STRING, `payload` BINARY, `born` DATE, `at` STRING, `created` TIMESTAMP_NTZ, `seen` TIMESTAMP, `odd ``name'` STRING) USING PARQUET OPTIONS ('datetimeRebaseMode' 'CORRECTED', 'int96RebaseMode' 'CORRECTED') LOCATION 'abfss://exports@lakeacct.dfs.core.windows.net/customers/20260101T000000Z/';

DESCRIBE TABLE `main`.`sales`.`customers`;

ALTER TABLE `main`.`sales`.`customers` SET LOCATION 'abfss://exports@lakeacct.dfs.core.windows.net/customers/20260101T000000Z/';

REFRESH TABLE `main`.`sales`.`customers`;

SELECT COUNT(*) FROM `main`.`sales`.`customers`;
