CREATE TABLE IF NOT EXISTS "sales"."customers" ("id" BIGINT, "small" SMALLINT, "n" INTEGER, "amount" DECIMAL(38,10), "ratio" DOUBLE PRECISION, "score" REAL, "active" BOOLEAN, "name" VARCHAR(65535), "payload" VARCHAR(65535), "born" DATE, "at" VARCHAR(15), "created" TIMESTAMP, "seen" TIMESTAMPTZ, "odd ""name]'" VARCHAR(65535), "_lakeroute_run_id" VARCHAR(128));

SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'sales' AND TABLE_NAME = 'customers' ORDER BY ORDINAL_POSITION;

DROP TABLE IF EXISTS "lakeroute_stage";

CREATE TEMP TABLE "lakeroute_stage" AS SELECT "id", "small", "n", "amount", "ratio", "score", "active", "name", "payload", "born", "at", "created", "seen", "odd ""name]'" FROM "sales"."customers" WHERE 1 = 0;

COPY "lakeroute_stage"
FROM 's3://bucket/exports/customers/20260101T000000Z/_redshift_manifest.json'
IAM_ROLE 'arn:aws:iam::123456789012:role/lakeroute-load'
MANIFEST
FORMAT AS JSON 'auto ignorecase'
DATEFORMAT 'YYYY-MM-DD'
TIMEFORMAT 'auto'
ENCODING UTF8
MAXERROR 0;

SELECT pg_last_copy_count();

SELECT COUNT(*) FROM "lakeroute_stage" WHERE "active" = TRUE;

DELETE FROM "sales"."customers" WHERE EXISTS (SELECT 1 FROM "lakeroute_stage" AS s WHERE (s."id" = "sales"."customers"."id" OR (s."id" IS NULL AND "sales"."customers"."id" IS NULL)) AND (s."n" = "sales"."customers"."n" OR (s."n" IS NULL AND "sales"."customers"."n" IS NULL)));

INSERT INTO "sales"."customers" ("id", "small", "n", "amount", "ratio", "score", "active", "name", "payload", "born", "at", "created", "seen", "odd ""name]'", "_lakeroute_run_id") SELECT "id", "small", "n", "amount", "ratio", "score", "active", "name", "payload", "born", "at", "created", "seen", "odd ""name]'", '20260101T000000Z' FROM "lakeroute_stage" WHERE ("active" IS NULL OR NOT ("active" = TRUE));

SELECT COUNT(*) FROM "sales"."customers" WHERE "_lakeroute_run_id" = '20260101T000000Z';
