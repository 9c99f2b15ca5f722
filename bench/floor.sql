-- The floor of bench/indicators.py: one hand-written DuckDB statement computing the same counts as
-- the engine (all 126 regions, every breakdown), headline ratios in SQL. Placeholders: {cur} {ev} {prev} {start} {end}.
WITH p AS (SELECT * FROM read_parquet('{cur}')),
unbroken AS (
  SELECT wilayah_no // 1000 AS kec, wilayah_no, count(*) AS n,
    sum(CAST(jenis_kelamin = 1 AS INT)) AS l, sum(CAST(jenis_kelamin = 2 AS INT)) AS pr,
    sum(CAST(umur < 15 OR umur >= 65 AS INT)) AS dep, sum(CAST(umur BETWEEN 15 AND 64 AS INT)) AS prod,
    sum(CAST(umur BETWEEN 0 AND 14 AS INT)) AS young, sum(CAST(umur >= 65 AS INT)) AS old,
    count(DISTINCT keluarga_id) AS kk, sum(CAST(shdk = 1 AS INT)) AS heads,
    sum(CAST(umur >= 17 OR status_kawin IN (2, 3, 4) AS INT)) AS wajib,
    sum(CAST((umur >= 17 OR status_kawin IN (2, 3, 4)) AND status_ktp_el >= 3 AS INT)) AS rekam,
    sum(CAST((umur >= 17 OR status_kawin IN (2, 3, 4)) AND status_ktp_el IN (4, 6, 8) AS INT)) AS cetak,
    sum(CAST(umur BETWEEN 0 AND 17 AND akta_lahir AS INT)) AS akta17, sum(CAST(umur BETWEEN 0 AND 17 AS INT)) AS anak17,
    sum(CAST(umur BETWEEN 0 AND 18 AND akta_lahir AS INT)) AS akta18, sum(CAST(umur BETWEEN 0 AND 18 AS INT)) AS anak18,
    sum(CAST(umur < 17 AND status_kawin = 1 AND kia AS INT)) AS kia, sum(CAST(umur < 17 AND status_kawin = 1 AS INT)) AS anakkia
  FROM p GROUP BY wilayah_no
),
headline AS (
  SELECT kec, wilayah_no, sum(n) AS n, sum(l) AS l, sum(pr) AS pr, sum(kk) AS kk, sum(heads) AS heads, sum(wajib) AS wajib,
    round(sum(l) * 100.0 / nullif(sum(pr), 0), 2) AS rasio_jk,
    round(sum(dep) * 100.0 / nullif(sum(prod), 0), 2) AS dep_total,
    round(sum(young) * 100.0 / nullif(sum(prod), 0), 2) AS dep_muda,
    round(sum(old) * 100.0 / nullif(sum(prod), 0), 2) AS dep_tua,
    round(sum(n) * 1.0 / nullif(sum(kk), 0), 2) AS jiwa_per_kk,
    round(sum(rekam) * 100.0 / nullif(sum(wajib), 0), 2) AS rekam_pct,
    round(sum(cetak) * 100.0 / nullif(sum(wajib), 0), 2) AS cetak_pct,
    round(sum(akta17) * 100.0 / nullif(sum(anak17), 0), 2) AS akta17_pct,
    round(sum(akta18) * 100.0 / nullif(sum(anak18), 0), 2) AS akta18_pct,
    round(sum(kia) * 100.0 / nullif(sum(anakkia), 0), 2) AS kia_pct
  FROM unbroken GROUP BY ROLLUP (kec, wilayah_no)
),
plain AS (
  SELECT GROUPING_ID(agama, disabilitas, golongan_darah, jenis_kelamin, pekerjaan, pendidikan, shdk,
                     status_kawin, umur, warga_negara) AS g,
    wilayah_no, agama, disabilitas, golongan_darah, jenis_kelamin, pekerjaan, pendidikan, shdk, status_kawin,
    umur, warga_negara, count(*) AS n
  FROM p GROUP BY GROUPING SETS (
    (wilayah_no, jenis_kelamin, warga_negara), (wilayah_no, warga_negara), (wilayah_no, jenis_kelamin, umur),
    (wilayah_no, agama, jenis_kelamin), (wilayah_no, jenis_kelamin, pendidikan), (wilayah_no, jenis_kelamin, pekerjaan),
    (wilayah_no, jenis_kelamin, status_kawin), (wilayah_no, jenis_kelamin, shdk),
    (wilayah_no, golongan_darah, jenis_kelamin), (wilayah_no, disabilitas, jenis_kelamin))
),
plain_rolled AS (
  SELECT g, wilayah_no // 1000 AS kec, wilayah_no, agama, disabilitas, golongan_darah, jenis_kelamin, pekerjaan,
    pendidikan, shdk, status_kawin, umur // 5 AS kelompok, warga_negara, sum(n) AS n
  FROM plain GROUP BY GROUPING SETS (
    (g, agama, disabilitas, golongan_darah, jenis_kelamin, pekerjaan, pendidikan, shdk, status_kawin, kelompok, warga_negara),
    (g, kec, agama, disabilitas, golongan_darah, jenis_kelamin, pekerjaan, pendidikan, shdk, status_kawin, kelompok, warga_negara),
    (g, kec, wilayah_no, agama, disabilitas, golongan_darah, jenis_kelamin, pekerjaan, pendidikan, shdk, status_kawin, kelompok, warga_negara))
),
filtered AS (  -- one grouped scan per shape, each with only its own aggregates
  SELECT 'jk' AS shape, wilayah_no, jenis_kelamin AS k, sum(CAST(shdk = 1 AS INT)) AS heads,
    sum(CAST(umur >= 17 OR status_kawin IN (2, 3, 4) AS INT)) AS wajib,
    sum(CAST((umur >= 17 OR status_kawin IN (2, 3, 4)) AND status_ktp_el >= 3 AS INT)) AS rekam,
    sum(CAST(umur BETWEEN 0 AND 17 AND akta_lahir AS INT)) AS akta17,
    sum(CAST(umur BETWEEN 0 AND 17 AS INT)) AS anak17, NULL AS l, NULL AS pr
  FROM p GROUP BY wilayah_no, jenis_kelamin
  UNION ALL
  SELECT 'umur', wilayah_no, umur, sum(CAST(shdk = 1 AS INT)), NULL, NULL, NULL, NULL,
    sum(CAST(jenis_kelamin = 1 AS INT)), sum(CAST(jenis_kelamin = 2 AS INT))
  FROM p GROUP BY wilayah_no, umur
  UNION ALL
  SELECT 'pendidikan', wilayah_no, pendidikan, count(*), NULL, NULL, NULL, NULL, NULL, NULL
  FROM p WHERE shdk = 1 GROUP BY wilayah_no, pendidikan
  UNION ALL
  SELECT 'kawin', wilayah_no, status_kawin, count(*), NULL, NULL, NULL, NULL, NULL, NULL
  FROM p WHERE shdk = 1 GROUP BY wilayah_no, status_kawin
),
filtered_rolled AS (
  SELECT shape, wilayah_no // 1000 AS kec, wilayah_no, CASE WHEN shape = 'umur' THEN k // 5 ELSE k END AS k,
    sum(heads), sum(wajib), sum(rekam), sum(akta17), sum(anak17), sum(l), sum(pr)
  FROM filtered GROUP BY GROUPING SETS ((shape, 4), (shape, kec, 4), (shape, kec, wilayah_no, 4))
),
single_age AS (
  SELECT wilayah_no // 1000 AS kec, wilayah_no, umur, sum(n) AS n FROM plain
  WHERE g = 957  -- the (wilayah_no, jenis_kelamin, umur) set: every other column rolled up
  GROUP BY GROUPING SETS ((umur), (kec, umur), (kec, wilayah_no, umur))
),
events AS (
  SELECT wilayah_no // 1000 AS kec, wilayah_no, jenis_kelamin, jenis, count(*) AS n
  FROM read_parquet('{ev}') WHERE tanggal_peristiwa BETWEEN DATE '{start}' AND DATE '{end}'
  GROUP BY GROUPING SETS ((jenis), (jenis, jenis_kelamin), (kec, jenis), (kec, jenis, jenis_kelamin),
    (kec, wilayah_no, jenis), (kec, wilayah_no, jenis, jenis_kelamin))
),
previous AS (
  SELECT wilayah_no // 1000 AS kec, wilayah_no, jenis_kelamin, count(*) AS n FROM read_parquet('{prev}')
  GROUP BY GROUPING SETS ((), (jenis_kelamin), (kec), (kec, jenis_kelamin), (kec, wilayah_no), (kec, wilayah_no, jenis_kelamin))
)
SELECT (SELECT list(h) FROM headline h), (SELECT list(x) FROM plain_rolled x), (SELECT list(f) FROM filtered_rolled f),
       (SELECT list(s) FROM single_age s), (SELECT list(e) FROM events e), (SELECT list(q) FROM previous q)
