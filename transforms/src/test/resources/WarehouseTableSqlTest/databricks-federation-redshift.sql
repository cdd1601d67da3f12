CREATE CONNECTION IF NOT EXISTS `lakeroute_redshift_connection` TYPE redshift OPTIONS (host 'cluster.abc.eu-west-1.redshift.amazonaws.com', port '5439', user 'loader', password secret('lakeroute', 'warehouse-password'));

CREATE FOREIGN CATALOG IF NOT EXISTS `lakeroute_redshift` USING CONNECTION `lakeroute_redshift_connection` OPTIONS (database 'dev');

CREATE OR REPLACE VIEW `main`.`sales`.`customers` AS SELECT * FROM `lakeroute_redshift`.`sales`.`customers`;

SELECT COUNT(*) FROM `main`.`sales`.`customers` WHERE `_lakeroute_run_id` = '20260101T000000Z';
