CREATE TABLE IF NOT EXISTS [dbo].[Customers] ([id] BIGINT, [small] SMALLINT, [n] INT, [amount] DECIMAL(38,10), [ratio] FLOAT, [score] REAL, [active] BIT, [name] NVARCHAR(MAX), [payload] NVARCHAR(MAX), [born] DATE, [at] NVARCHAR(15), [created] DATETIME2(6), [seen] TIMESTAMP(6) WITH TIME ZONE, [odd "name]]'] NVARCHAR(MAX), [_lakeroute_run_id] NVARCHAR(128));

SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = N'dbo' AND TABLE_NAME = N'Customers' ORDER BY ORDINAL_POSITION;

DROP TABLE IF EXISTS [dbo].[Customers__lakeroute_stage];

CREATE TABLE [dbo].[Customers__lakeroute_stage] AS SELECT [id], [small], [n], [amount], [ratio], [score], [active], [name], [payload], [born], [at], [created], [seen], [odd "name]]'] FROM [dbo].[Customers] WHERE 1 = 0;

COPY INTO [dbo].[Customers__lakeroute_stage] ([id], [small], [n], [amount], [ratio], [score], [active], [name], [payload], [born], [at], [created], [seen], [odd "name]]'])
FROM 'https://acct.blob.core.windows.net/exports/customers/20260101T000000Z/part-00000-of-00002.csv',
  'https://acct.blob.core.windows.net/exports/customers/20260101T000000Z/part-00001-of-00002.csv'
WITH (
  FILE_TYPE = 'CSV',
  CREDENTIAL = (IDENTITY = 'Managed Identity'),
  FIELDQUOTE = '"',
  FIELDTERMINATOR = ',',
  ROWTERMINATOR = '0x0A',
  FIRSTROW = 2,
  ENCODING = 'UTF8',
  DATEFORMAT = 'ymd',
  MAXERRORS = 0
);

SELECT COUNT(*) FROM [dbo].[Customers__lakeroute_stage];

SELECT COUNT(*) FROM [dbo].[Customers__lakeroute_stage] WHERE [active] = 1;

DELETE FROM [dbo].[Customers] WHERE EXISTS (SELECT 1 FROM [dbo].[Customers__lakeroute_stage] AS s WHERE (s.[id] = [dbo].[Customers].[id] OR (s.[id] IS NULL AND [dbo].[Customers].[id] IS NULL)));

INSERT INTO [dbo].[Customers] ([id], [small], [n], [amount], [ratio], [score], [active], [name], [payload], [born], [at], [created], [seen], [odd "name]]'], [_lakeroute_run_id]) SELECT [id], [small], [n], [amount], [ratio], [score], [active], [name], [payload], [born], [at], [created], [seen], [odd "name]]'], N'20260101T000000Z' FROM [dbo].[Customers__lakeroute_stage] WHERE ([active] IS NULL OR NOT ([active] = 1));

SELECT COUNT(*) FROM [dbo].[Customers] WHERE [_lakeroute_run_id] = N'20260101T000000Z';
