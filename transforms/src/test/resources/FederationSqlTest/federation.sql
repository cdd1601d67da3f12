CREATE CONNECTION IF NOT EXISTS `redshift_sales` TYPE redshift OPTIONS (host 'sales.abc123.eu-west-1.redshift.amazonaws.com', port '5439', user 'loader', password secret('lakeroute', 'warehouse-password'));

CREATE FOREIGN CATALOG IF NOT EXISTS `redshift_sales` USING CONNECTION `redshift_sales` OPTIONS (database 'dev');

CREATE CONNECTION IF NOT EXISTS `synapse_sales` TYPE sqldw OPTIONS (host 'sales.sql.azuresynapse.net', port '1433', user 'loader', password secret('lakeroute', 'warehouse-password'));

CREATE FOREIGN CATALOG IF NOT EXISTS `synapse_sales` USING CONNECTION `synapse_sales` OPTIONS (database 'salesdw');

CREATE CONNECTION IF NOT EXISTS `bigquery_sales` TYPE bigquery OPTIONS (GoogleServiceAccountKeyJson secret('lakeroute', 'bigquery-key-json'));

CREATE FOREIGN CATALOG IF NOT EXISTS `bigquery_sales` USING CONNECTION `bigquery_sales` OPTIONS (dataProjectId 'my-project');

SELECT COUNT(*) FROM `redshift_sales`.`public`.`customers`;
