-- Every MariaDB type lakeroute carries, at its edges, and a row of NULLs in every column.
-- TIMESTAMP values are written in a session zone of +05:30: MariaDB stores them as UTC instants, so
-- the reader (session zone UTC) must see 2024-06-01T12:00:00.5Z for '2024-06-01 17:30:00.5'.
SET time_zone = '+05:30';
DROP TABLE IF EXISTS tricky;
CREATE TABLE tricky (
  id INT,
  c_tinyint TINYINT,
  c_tinyint_u TINYINT UNSIGNED,
  c_smallint_u SMALLINT UNSIGNED,
  c_mediumint_u MEDIUMINT UNSIGNED,
  c_int_u INT UNSIGNED,
  c_bigint BIGINT,
  c_bigint_u BIGINT UNSIGNED,
  c_float FLOAT,
  c_double DOUBLE,
  c_dec DECIMAL(38,10),
  c_bool TINYINT(1),
  c_bit1 BIT(1),
  c_bit12 BIT(12),
  c_bit64 BIT(64),
  c_date DATE,
  c_datetime DATETIME(6),
  c_timestamp TIMESTAMP(6) NULL,
  c_time TIME(6),
  c_year YEAR,
  c_char CHAR(4),
  c_varchar VARCHAR(100),
  c_text TEXT,
  c_json JSON,
  c_enum ENUM('small', 'large'),
  c_set SET('red', 'green', 'blue'),
  c_binary BINARY(4),
  c_varbinary VARBINARY(16),
  c_blob BLOB
) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
INSERT INTO tricky VALUES (1, -128, 0, 0, 0, 0, -9223372036854775808, 0, -1.5, -0.5,
  -9999999999999999999999999999.9999999999, 0, b'0', b'0', b'0',
  '1200-03-01', '1500-02-28 23:59:59.999999', '1970-01-01 05:30:01.000001', '00:00:00', 1901,
  '', '', '', '[]', 'small', '', x'00000000', x'', x'');
INSERT INTO tricky VALUES (2, 127, 255, 65535, 16777215, 4294967295, 9223372036854775807,
  18446744073709551615, 16777216, 1.7976931348623157e308,
  9999999999999999999999999999.9999999999, 1, b'1', b'111111111111',
  b'1111111111111111111111111111111111111111111111111111111111111111',
  '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 08:44:07.999999', '23:59:59.999999', 2155,
  'Zoë', 'emoji 😀🎉 and ümlauts', 'a,b;c\td', '{"k": "v \\"q\\" 😀", "n": [1, 2.5]}', 'large',
  'red,blue', x'00FF00FF', x'DEADBEEF00', x'000102FEFF');
INSERT INTO tricky VALUES (3, 0, 1, 1, 1, 1, 1, 9223372036854775808, 0.25, 1e-300,
  0.0000000001, 0, b'0', b'100000000001', b'1000000000000000000000000000000000000000000000000000000000000000',
  '1582-10-10', '2024-02-29 12:00:00', '2024-06-01 17:30:00.5', '12:34:56.5', 2024,
  'a"b', 'quote '' and "double" and \\ backslash', 'line one\nline two\r\nthree', '"just text"', 'small',
  'green', x'61620000', x'0A0D', x'22');
INSERT INTO tricky VALUES (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO tricky VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
