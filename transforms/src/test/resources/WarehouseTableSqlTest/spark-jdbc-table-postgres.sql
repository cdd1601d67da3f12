CREATE TABLE IF NOT EXISTS `spark_catalog`.`sales`.`customers` USING JDBC OPTIONS ('url' 'jdbc:postgresql://127.0.0.1:5432/redshift', 'dbtable' '"sales"."customers"', 'user' 'loader', 'password' 'pa\'ss');

SELECT COUNT(*) FROM `spark_catalog`.`sales`.`customers` WHERE `_lakeroute_run_id` = '20260101T000000Z';
