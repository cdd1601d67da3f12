DESCRIBE SCHEMA `main`.`sales`;

CREATE TABLE IF NOT EXISTS `main`.`sales`.`customers` (`id` BIGINT, `small` SMALLINT, `n` INT, `amount` DECIMAL(38,10), `ratio` DOUBLE, `score` FLOAT, `active` BOOLEAN, `name` STRING, `payload` STRING, `born` DATE, `at` STRING, `created` TIMESTAMP_NTZ, `seen` TIMESTAMP, `odd ``name'` STRING) USING CSV OPTIONS ('header' 'true', 'sep' ',', 'quote' '"', 'escape' '"', 'nullValue' '￿', 'multiLine' 'true', 'mode' 'FAILFAST', 'encoding' 'UTF-8', 'dateFormat' 'yyyy-MM-dd', 'timestampFormat' 'yyyy-MM-dd\'T\'HH:mm:ss.SSSSSSX', 'timestampNTZFormat' 'yyyy-MM-dd\'T\'HH:mm:ss.SSSSSS') LOCATION 'wasb://exports@devstoreaccount1/customers/20260101T000000Z/';

DESCRIBE TABLE `main`.`sales`.`customers`;

ALTER TABLE `main`.`sales`.`customers` SET LOCATION 'wasb://exports@devstoreaccount1/customers/20260101T000000Z/';

REFRESH TABLE `main`.`sales`.`customers`;

SELECT COUNT(*) FROM `main`.`sales`.`customers`;
