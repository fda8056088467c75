"""The dashboard /dasbor/ over real HTTP: totals, CSV rows and filters against
sums that this test computes itself in SQL (not through the code under test).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
import requests
from django.db import connection

from tests.html_tree import parse

pytestmark = pytest.mark.django_db

ALAK = "53.71.01"
CHART_IDS = (
    "anggaran-per-kecamatan", "anggaran-per-opd", "status-per-kecamatan", "status-per-opd",
    "progres-per-kecamatan", "progres-per-opd", "fasilitas-per-kecamatan", "fasilitas-per-opd",
    "kepadatan-fasilitas",
)
STATUSES = ("identification", "preparation", "implementation", "completion", "completed",
            "cancelled")

PROJECT_FILTERS = {
    "kecamatan": "kc.kode = %s", "kelurahan": "kl.kode = %s", "status": "p.status = %s",
    "tahun": "p.fiscal_year = %s", "opd": "a.kode = %s", "sumber_dana": "p.funding_source = %s",
}
FACILITY_FILTERS = {
    "kecamatan": "kc.kode = %s", "kelurahan": "kl.kode = %s", "kategori": "f.category = %s",
    "opd": "a.kode = %s",
}


def _rows(sql: str, params: list[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _where(filters: dict[str, str], conditions: dict[str, str]) -> tuple[str, list[Any]]:
    used = [(conditions[k], v) for k, v in filters.items() if k in conditions]
    clause = " AND ".join(c for c, _ in used) or "TRUE"
    return clause, [v for _, v in used]


def sql_totals(**filters: str) -> dict[str, Any]:
    where, params = _where(filters, PROJECT_FILTERS)
    count, budget, spent, progress, ratio = _rows(
        "SELECT count(*), coalesce(sum(p.budget), 0), coalesce(sum(p.spent), 0),"
        " round(avg(p.progress), 1), round(sum(p.spent) * 100.0 / nullif(sum(p.budget), 0), 1)"
        " FROM layers_projectsite p JOIN layers_agency a ON a.id = p.agency_id"
        " LEFT JOIN layers_kecamatan kc ON kc.id = p.kecamatan_id"
        f" LEFT JOIN layers_kelurahan kl ON kl.id = p.kelurahan_id WHERE {where}", params)[0]
    where, params = _where(filters, FACILITY_FILTERS)
    facilities = _rows(
        "SELECT count(*) FROM layers_facility f LEFT JOIN layers_agency a ON a.id = f.agency_id"
        " LEFT JOIN layers_kecamatan kc ON kc.id = f.kecamatan_id"
        f" LEFT JOIN layers_kelurahan kl ON kl.id = f.kelurahan_id WHERE {where}", params)[0][0]
    return {"jumlah_proyek": count, "pagu": int(budget), "realisasi": int(spent),
            "realisasi_persen": None if ratio is None else float(ratio),
            "progres_rata_rata": None if progress is None else float(progress),
            "jumlah_fasilitas": facilities}


def _csv(http: requests.Session, url: str) -> list[list[str]]:
    response = http.get(url, timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.text)))


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


def test_the_totals_equal_the_databases_sums(server_url: str, http: requests.Session) -> None:
    expected = sql_totals()
    assert expected["jumlah_proyek"] == 40 and expected["jumlah_fasilitas"] == 67
    assert http.get(f"{server_url}/dasbor/data.json", timeout=30).json()["totals"] == expected
    page = parse(http.get(f"{server_url}/dasbor/", timeout=30).text)
    totals = {el.attrs["data-total"]: el.find("dd").text
              for el in page.find("dl", id="totals").find_all("div")}
    percent = f"{expected['realisasi_persen']}".replace(".", ",")
    assert totals == {
        "jumlah_proyek": "40",
        "pagu": "Rp " + f"{expected['pagu']:,}".replace(",", "."),
        "realisasi": "Rp " + f"{expected['realisasi']:,}".replace(",", ".") + f" ({percent}%)",
        "progres_rata_rata": f"{expected['progres_rata_rata']}".replace(".", ",") + "%",
        "jumlah_fasilitas": "67",
    }
    assert page.find(class_="sample-note").find(class_="badge-sample").text == "Data contoh"
    legend = [li.text for li in page.find("ul", class_="density-legend").find_all("li")]
    assert len(legend) == 5
    assert legend[0] == "tidak ada fasilitas" and legend[1].startswith("sampai ")


@pytest.mark.parametrize("filters", [
    {"kecamatan": ALAK},
    {"kelurahan": "53.71.05.1001"},
    {"status": "completed", "tahun": "2025"},
    {"opd": "PUPR"},
    {"sumber_dana": "APBD"},
    {"kategori": "gereja"},
    {"kecamatan": ALAK, "opd": "DINKES", "kategori": "rumah_sakit"},
    {"tahun": "2030"},  # no project at all: zero sums, no average
    {"kategori": "pasar"},  # no facility at all: every kelurahan in class 0
])
def test_filters_change_the_totals_exactly(
    server_url: str, http: requests.Session, filters: dict[str, str],
) -> None:
    data = http.get(f"{server_url}/dasbor/data.json", params=filters, timeout=30).json()
    expected = sql_totals(**filters)
    assert data["totals"] == expected
    assert data["filters"] == filters
    assert expected != sql_totals()
    page = http.get(f"{server_url}/dasbor/", params=filters, timeout=30)
    assert page.status_code == 200
    shown = parse(page.text).find("div", data_total="jumlah_proyek").find("dd").text
    assert shown == str(expected["jumlah_proyek"])


def test_empty_filter_values_mean_all(server_url: str, http: requests.Session) -> None:
    data = http.get(f"{server_url}/dasbor/data.json?kecamatan=&status=&tahun=", timeout=30)
    assert data.json()["totals"] == sql_totals()


@pytest.mark.parametrize(("filters", "kecamatan_rows"), [
    ({}, 6), ({"status": "completed"}, 5), ({"kecamatan": ALAK}, 1),
])
def test_the_budget_csv_has_the_databases_rows(
    server_url: str, http: requests.Session, filters: dict[str, str], kecamatan_rows: int,
) -> None:
    where, params = _where(filters, PROJECT_FILTERS)
    expected = [[kode, nama, str(n), str(b), str(s), _plain(r)] for kode, nama, n, b, s, r in _rows(
        "SELECT kc.kode, kc.nama, count(*), sum(p.budget), sum(p.spent),"
        " round(sum(p.spent) * 100.0 / nullif(sum(p.budget), 0), 1)"
        " FROM layers_projectsite p JOIN layers_agency a ON a.id = p.agency_id"
        " JOIN layers_kecamatan kc ON kc.id = p.kecamatan_id"
        " LEFT JOIN layers_kelurahan kl ON kl.id = p.kelurahan_id"
        f" WHERE {where} GROUP BY kc.kode, kc.nama ORDER BY kc.kode", params)]
    rows = _csv(http, f"{server_url}/dasbor/data/anggaran-per-kecamatan.csv?"
                + "&".join(f"{k}={v}" for k, v in filters.items()))
    assert rows[0] == ["kode", "nama", "jumlah_proyek", "pagu", "realisasi", "realisasi_persen"]
    assert rows[1:] == expected
    assert len(expected) == kecamatan_rows


def test_the_status_csv_counts_projects_per_agency_and_status(
    server_url: str, http: requests.Session,
) -> None:
    counts: dict[str, dict[str, int]] = {}
    for kode, status, n in _rows(
        "SELECT a.kode, p.status, count(*) FROM layers_projectsite p"
        " JOIN layers_agency a ON a.id = p.agency_id WHERE p.funding_source = 'APBD'"
        " GROUP BY a.kode, p.status", []):
        counts.setdefault(kode, {})[status] = n
    rows = _csv(http, f"{server_url}/dasbor/data/status-per-opd.csv?sumber_dana=APBD")
    assert rows[0] == ["kode", "nama", *STATUSES, "jumlah_proyek"]
    assert [r[0] for r in rows[1:]] == sorted(counts)
    for row in rows[1:]:
        expected = [counts[row[0]].get(s, 0) for s in STATUSES]
        assert [int(v) for v in row[2:]] == [*expected, sum(expected)]


def test_the_density_csv_has_one_row_per_kelurahan(
    server_url: str, http: requests.Session,
) -> None:
    expected = [[kode, str(n), _plain(d)] for kode, n, d in _rows(
        "SELECT k.kode, count(f.id), round((count(f.id) / k.luas_km2)::numeric, 2)"
        " FROM layers_kelurahan k LEFT JOIN layers_facility f ON f.kelurahan_id = k.id"
        " GROUP BY k.kode, k.luas_km2 ORDER BY k.kode", [])]
    rows = _csv(http, f"{server_url}/dasbor/data/kepadatan-fasilitas.csv")
    assert rows[0] == ["kode", "nama", "kecamatan", "luas_km2", "jumlah_fasilitas", "per_km2",
                       "kelas"]
    assert len(rows) == 1 + 51
    assert [[r[0], r[4], r[5]] for r in rows[1:]] == expected
    assert sum(int(r[4]) for r in rows[1:]) == 67 - _rows(
        "SELECT count(*) FROM layers_facility WHERE kelurahan_id IS NULL", [])[0][0]
    # Class 0 is exactly the kelurahan without a facility; classes rise with density.
    assert all((r[6] == "0") == (r[4] == "0") for r in rows[1:])
    by_class = sorted((int(r[6]), Decimal(r[5])) for r in rows[1:])
    assert [d for _, d in by_class] == sorted(d for _, d in by_class)
    alak = _csv(http, f"{server_url}/dasbor/data/kepadatan-fasilitas.csv?kecamatan={ALAK}")
    assert {r[2] for r in alak[1:]} == {"Alak"} and len(alak) == 1 + 12


def test_the_facility_csv_counts_categories_per_kecamatan(
    server_url: str, http: requests.Session,
) -> None:
    expected = {(kode, cat): n for kode, cat, n in _rows(
        "SELECT kc.kode, f.category, count(*) FROM layers_facility f"
        " JOIN layers_kecamatan kc ON kc.id = f.kecamatan_id GROUP BY kc.kode, f.category", [])}
    rows = _csv(http, f"{server_url}/dasbor/data/fasilitas-per-kecamatan.csv")
    assert rows[0] == ["kode", "nama", "rumah_sakit", "gereja", "jumlah_fasilitas"]
    got = {(r[0], cat): int(r[i]) for r in rows[1:]
           for i, cat in ((2, "rumah_sakit"), (3, "gereja")) if int(r[i])}
    assert got == expected


def test_every_chart_has_a_table_and_a_csv_link_with_the_filters(
    server_url: str, http: requests.Session,
) -> None:
    page = parse(http.get(f"{server_url}/dasbor/?kecamatan={ALAK}", timeout=30).text)
    sections = page.find_all("section", class_="chart-card")
    assert [s.attrs["data-chart"] for s in sections] == list(CHART_IDS)
    for section in sections:
        chart_id = section.attrs["data-chart"]
        table = section.find("table", id=f"table-{chart_id}")
        link = section.find("a", download="")
        assert link.attrs["href"] == f"/dasbor/data/{chart_id}.csv?kecamatan={ALAK}"
        rows = _csv(http, f"{server_url}{link.attrs['href']}")
        assert len(table.find("tbody").find_all("tr")) == len(rows) - 1
        assert len(table.find("thead").find_all("th")) == len(rows[0])
        if chart_id != "kepadatan-fasilitas":
            assert section.find("canvas").attrs["role"] == "img"
    selected = page.find("select", name="kecamatan").find("option", selected="")
    assert selected.attrs["value"] == ALAK


@pytest.mark.parametrize(("query", "parameter"), [
    ("kecamatan=99.99.99", "kecamatan"),
    ("kelurahan=Naikoten", "kelurahan"),
    ("kategori=kapal", "kategori"),
    ("status=done", "status"),
    ("tahun=abc", "tahun"),
    ("tahun=1999", "tahun"),
    ("opd=NOPE", "opd"),
    ("sumber_dana=apbd", "sumber_dana"),
    ("bbox=1,2,3,4", "bbox"),
    ("status=completed&status=cancelled", "status"),
    ("opd=%00", "opd"),
])
def test_a_bad_filter_is_a_400_naming_the_parameter(
    server_url: str, http: requests.Session, query: str, parameter: str,
) -> None:
    for path in ("/dasbor/", "/dasbor/data.json", "/dasbor/data/anggaran-per-opd.csv"):
        response = http.get(f"{server_url}{path}?{query}", timeout=30)
        assert response.status_code == 400, path
        assert f"'{parameter}'" in response.text.replace("&#x27;", "'"), response.text
    assert http.get(f"{server_url}/dasbor/data.json?{query}",
                    timeout=30).json()["parameter"] == parameter


def test_an_unknown_chart_csv_is_404(server_url: str, http: requests.Session) -> None:
    assert http.get(f"{server_url}/dasbor/data/grafik-lain.csv", timeout=30).status_code == 404


def test_the_dashboard_speaks_english_when_the_visitor_switched(
    server_url: str, http: requests.Session,
) -> None:
    browser_only = http.get(f"{server_url}/dasbor/", headers={"Accept-Language": "en"},
                            timeout=30)
    assert parse(browser_only.text).find("h1").text == "Dasbor proyek dan fasilitas"
    response = http.get(f"{server_url}/dasbor/", cookies={"django_language": "en"}, timeout=30)
    page = parse(response.text)
    assert page.find("h1").text == "Projects and facilities dashboard"
    assert page.find(class_="sample-note").find(class_="badge-sample").text == "Sample data"
    labels = [dt.text for dt in page.find("dl", id="totals").find_all("dt")]
    assert labels == ["Number of projects", "Total budget", "Total spent",
                      "Average physical progress", "Number of facilities"]
    titles = [h.text for h in page.find_all("h2") if h.attrs.get("id", "").startswith("title-")]
    assert titles[0] == "Budget and spending per district"
    head = page.find("table", id="table-status-per-kecamatan").find("thead").text
    assert "Implementation" in head and "Pelaksanaan" not in head
    pagu = page.find("div", data_total="pagu").find("dd").text
    assert pagu == "Rp " + f"{sql_totals()['pagu']:,}".replace(",", ".")


def _sample_note(http: requests.Session, url: str, **cookies: str) -> Any:
    return parse(http.get(url, cookies=cookies, timeout=30).text).find(class_="sample-note")


def test_the_sample_label_counts_the_sample_projects_it_covers(
        server_url: str, http: requests.Session) -> None:
    """Real projects may join the 40 generated ones: the label must not call them samples."""
    import psycopg

    settings = connection.settings_dict
    conninfo = psycopg.conninfo.make_conninfo(
        dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"],
        host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432)
    note = _sample_note(http, f"{server_url}/dasbor/")
    assert note.attrs["data-sample-projects"] == "40"
    assert "Semua proyek di dasbor ini data contoh" in note.text
    # No project in 2030: nothing on the page is sample data.
    empty = _sample_note(http, f"{server_url}/dasbor/?tahun=2030")
    assert empty.attrs["data-sample-projects"] == "0"
    assert not empty.find_all(class_="badge-sample") and "contoh" not in empty.text
    with psycopg.connect(conninfo, autocommit=True) as conn:
        pid = conn.execute("SELECT min(id) FROM layers_projectsite").fetchone()[0]
        conn.execute("UPDATE layers_projectsite SET is_sample = false WHERE id = %s", [pid])
        try:
            mixed = _sample_note(http, f"{server_url}/dasbor/")
            english = _sample_note(http, f"{server_url}/dasbor/", django_language="en")
        finally:
            conn.execute("UPDATE layers_projectsite SET is_sample = true WHERE id = %s", [pid])
    assert mixed.attrs["data-sample-projects"] == "39"
    assert "39 dari 40 proyek di dasbor ini data contoh" in " ".join(mixed.text.split())
    assert "Semua proyek" not in mixed.text
    assert "39 of the 40 projects on this dashboard are sample data" in " ".join(
        english.text.split())
