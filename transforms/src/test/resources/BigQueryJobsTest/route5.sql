-- APPEND
BEGIN TRANSACTION;
DELETE FROM `my-project.sales.customers` WHERE `_lakeroute_run_id` = '2026-12-07';
INSERT INTO `my-project.sales.customers` (`id`, `name\`x`, `amount`, `_lakeroute_run_id`) SELECT `id`, `name\`x`, `amount`, '2026-12-07' FROM `my-project.sales._lakeroute_staging_customers_2026-12-07_b90a0e1b`;
COMMIT TRANSACTION;

-- REPLACE
BEGIN TRANSACTION;
DELETE FROM `my-project.sales.customers` WHERE TRUE;
INSERT INTO `my-project.sales.customers` (`id`, `name\`x`, `amount`, `_lakeroute_run_id`) SELECT `id`, `name\`x`, `amount`, '2026-12-07' FROM `my-project.sales._lakeroute_staging_customers_2026-12-07_b90a0e1b`;
COMMIT TRANSACTION;

-- MERGE
BEGIN TRANSACTION;
DELETE FROM `my-project.sales.customers` AS t WHERE EXISTS (SELECT 1 FROM `my-project.sales._lakeroute_staging_customers_2026-12-07_b90a0e1b` AS s WHERE s.`id` IS NOT DISTINCT FROM t.`id` AND s.`amount` IS NOT DISTINCT FROM t.`amount`);
INSERT INTO `my-project.sales.customers` (`id`, `name\`x`, `amount`, `_lakeroute_run_id`) SELECT `id`, `name\`x`, `amount`, '2026-12-07' FROM `my-project.sales._lakeroute_staging_customers_2026-12-07_b90a0e1b`;
COMMIT TRANSACTION;

-- count
SELECT COUNT(*), COUNT(CASE WHEN `_lakeroute_run_id` = 'it\'s' THEN 1 END) FROM `my-project.sales.customers`
