CREATE CONNECTION IF NOT EXISTS `lakeroute_bigquery` TYPE bigquery OPTIONS (GoogleServiceAccountKeyJson secret('lakeroute', 'bigquery-key-json'));

CREATE FOREIGN CATALOG IF NOT EXISTS `bq_sales` USING CONNECTION `lakeroute_bigquery` OPTIONS (dataProjectId 'my-project');

SELECT COUNT(*) FROM `bq_sales`.`sales`.`customers`;
