CREATE CONNECTION IF NOT EXISTS `lakeroute_synapse_connection` TYPE sqldw OPTIONS (host 'ws.sql.azuresynapse.net', port '1433', user 'loader', password secret('lakeroute', 'warehouse-password'));

CREATE FOREIGN CATALOG IF NOT EXISTS `lakeroute_synapse` USING CONNECTION `lakeroute_synapse_connection` OPTIONS (database 'pool1');

CREATE OR REPLACE VIEW `main`.`sales`.`customers` AS SELECT * FROM `lakeroute_synapse`.`dbo`.`Customers`;

SELECT COUNT(*) FROM `main`.`sales`.`customers` WHERE `_lakeroute_run_id` = '20260101T000000Z';
