"""Generate the awkward agency files in this folder (see README.md for why each exists).

Run from the repository root:  python tests/data/import/make_files.py
The output is deterministic and committed; the tests only read it. Points are
interior points of real kelurahan (shapely's point_on_surface of
fixtures/kelurahan.geojson, rounded to 7 decimals), projected with PROJ where
a file is in another CRS, so the tests can assert the imported coordinates to
1e-7 degrees.
"""

from __future__ import annotations

import codecs
import json
import zipfile
from pathlib import Path

import numpy as np
import shapely
from openpyxl import Workbook
from pyogrio.raw import write
from pyproj import Transformer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]

#: name → (lon, lat, kelurahan it lies in)
POINTS = {
    "namosain": (123.5545747, -10.175975),
    "manutapen": (123.5755403, -10.1810416),
    "naimata": (123.6393346, -10.1845486),
    "oesapa_selatan": (123.653577, -10.1597425),
    "fatululi": (123.6088393, -10.1639144),
    "airnona": (123.5871137, -10.1792228),
    "fontein": (123.5823321, -10.167895),
    "tode_kisar": (123.5853806, -10.1579843),
    "nefonaek": (123.6028135, -10.1564841),
}
#: In Teluk Kupang, 1.5 km north of the northernmost kelurahan.
SEA = (123.60, -10.11)


def _project(epsg: int, lon: float, lat: float) -> tuple[float, float]:
    return Transformer.from_crs(4326, epsg, always_xy=True).transform(lon, lat)


def _wkb(geoms: list) -> np.ndarray:
    return np.array([shapely.to_wkb(g) for g in geoms], dtype=object)


def _strings(*values: str) -> np.ndarray:
    return np.array(values, dtype=object)


def _feature_collection(name: str, features: list[dict]) -> None:
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geometry}
        for props, geometry in features
    ]}
    (HERE / name).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")


def _point(name: str) -> dict:
    return {"type": "Point", "coordinates": list(POINTS[name])}


def cp1252_shapefile() -> None:
    """Windows ArcGIS output: cp1252 attributes, a .prj, and no .cpg."""
    names = ("Pasar Oebobo – Kios Ñ", "Gereja Sion – Fontein", "Kantor Lurah Naimata «Baru»")
    path = HERE / "facilities_cp1252.shp"
    write(path, _wkb([shapely.Point(POINTS[k]) for k in ("fatululi", "fontein", "naimata")]),
          [_strings("shp-1", "shp-2", "shp-3"), _strings(*names),
           _strings("PASAR", "Gereja", "kantor pemerintah")],
          ["ID", "NAMA", "KATEGORI"], driver="ESRI Shapefile", geometry_type="Point",
          crs="EPSG:4326", encoding="cp1252")
    path.with_suffix(".cpg").unlink()


def cp850_shapefile() -> None:
    """A dBase table from DOS-era software: CP850 bytes, and a .cpg that says so ("850").

    Its bytes are no UTF-8 and would be guessed as cp1252 without the .cpg
    ("Kios ¥ Fatululi", "Caf‚ Fontein", "Gereja ®Baru¯ Naimata"): the .cpg must win.
    """
    names = ("Kios Ñ Fatululi", "Café Fontein", "Gereja «Baru» Naimata")
    path = HERE / "facilities_cp850.shp"
    write(path, _wkb([shapely.Point(POINTS[k]) for k in ("fatululi", "fontein", "naimata")]),
          [_strings("cpg-1", "cpg-2", "cpg-3"), _strings(*names),
           _strings("pasar", "lainnya", "gereja")],
          ["ID", "NAMA", "KATEGORI"], driver="ESRI Shapefile", geometry_type="Point",
          crs="EPSG:4326", encoding="cp850")
    path.with_suffix(".cpg").write_text("850", encoding="ascii")  # as DOS-era tools write it


def decimal_comma_swapped_csv() -> None:
    """Excel (Indonesian locale) CSV: semicolons, decimal commas, latitude in the bujur column."""
    lines = ["id;nama;kategori;bujur;lintang"]
    for i, key in enumerate(("airnona", "tode_kisar"), start=1):
        lon, lat = POINTS[key]
        lines.append(f"csv-{i};Klinik {key.replace('_', ' ').title()};Klinik;"
                     f"{lat:.7f};{lon:.7f}".replace(".", ","))
    (HERE / "facilities_decimal_comma_swapped.csv").write_text("\n".join(lines) + "\n",
                                                                 encoding="utf-8")


def _dms(value: float, positive: str, negative: str) -> str:
    seconds = round(abs(value) * 3600, 1)
    degrees, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    hemisphere = positive if value >= 0 else negative
    return f"{int(degrees)}°{int(minutes)}'{seconds:g}\"{hemisphere}"


def dms_xlsx() -> None:
    """A project register kept in Excel: a notes sheet first, DMS text, Rp with dot thousands."""
    book = Workbook()
    notes = book.active
    notes.title = "Catatan"
    notes.append(["Daftar paket pekerjaan PUPR 2025; koordinat dari survei lapangan."])
    sheet = book.create_sheet("Lokasi")
    sheet.append(["Kode Proyek", "Nama Kegiatan", "OPD", "Tahun", "Sumber Dana", "Pagu",
                  "Status", "Progres Fisik", "Koordinat"])
    sheet.append(["PUPR-2025-01", "Rehabilitasi drainase Jl. Timor Raya", "pupr", 2025, "apbd",
                  "1.250.000.000", "Pelaksanaan", "45,5", "10°10'12\"S 123°35'40\"E"])
    lon, lat = POINTS["naimata"]
    sheet.append(["PUPR-2025-02", "Pembangunan jalan lingkungan Naimata", "PUPR", 2025, "DAK",
                  875000000, "persiapan", 0, f"{_dms(lat, 'N', 'S')} {_dms(lon, 'E', 'W')}"])
    book.save(HERE / "projects_dms.xlsx")


def utm51s_geopackage() -> None:
    """A GeoPackage in WGS 84 / UTM 51S with two tables, so --source-layer is needed."""
    path = HERE / "facilities_utm51s.gpkg"
    path.unlink(missing_ok=True)
    points = [shapely.Point(_project(32751, *POINTS[k])) for k in ("oesapa_selatan", "nefonaek")]
    write(path, _wkb(points), [_strings("gpkg-1", "gpkg-2"),
                               _strings("Puskesmas Oesapa", "SD Inpres Nefonaek"),
                               _strings("puskesmas", "SD")],
          ["kode_aset", "nama_faskes", "jenis"], layer="faskes", driver="GPKG",
          geometry_type="Point", crs="EPSG:32751")
    write(path, _wkb([shapely.Point(_project(32751, *POINTS["namosain"]))]),
          [_strings("gpkg-9"), _strings("Titik survei"), _strings("lainnya")],
          ["kode_aset", "nama_faskes", "jenis"], layer="survei", driver="GPKG",
          geometry_type="Point", crs="EPSG:32751", append=False)


def phone_kml() -> None:
    """A KML as a phone app saves it: one folder, Z altitudes, ExtendedData; and the same as KMZ."""
    marks = []
    for i, key in enumerate(("manutapen", "fontein"), start=1):
        lon, lat = POINTS[key]
        marks.append(
            f"<Placemark><name>Masjid {key.title()}</name><ExtendedData>"
            f"<Data name=\"id\"><value>kml-{i}</value></Data>"
            f"<Data name=\"kategori\"><value>Masjid</value></Data></ExtendedData>"
            f"<Point><coordinates>{lon},{lat},42.5</coordinates></Point></Placemark>"
        )
    kml = ('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">'
           "<Document><name>Survei masjid</name>" + "".join(marks) + "</Document></kml>\n")
    (HERE / "facilities_phone.kml").write_text(kml, encoding="utf-8")
    with zipfile.ZipFile(HERE / "facilities_phone.kmz", "w") as archive:
        info = zipfile.ZipInfo("doc.kml", date_time=(2025, 1, 1, 0, 0, 0))
        archive.writestr(info, kml)


def _kelurahan(kode: str) -> dict:
    data = json.loads((ROOT / "fixtures" / "kelurahan.geojson").read_text(encoding="utf-8"))
    return next(f for f in data["features"] if f["properties"]["kode"] == kode)


def self_intersecting_kelurahan() -> None:
    """Namosain with a 1 m loop on one edge (repairable), and a bow-tie (not repairable)."""
    feature = _kelurahan("53.71.01.1001")
    ring = feature["geometry"]["coordinates"][0]
    (ax, ay), (bx, by) = ring[10], ring[11]
    nx, ny = -(by - ay), bx - ax
    scale = 0.00001 / max(abs(nx), abs(ny))
    p = [ax + 0.6 * (bx - ax) + nx * scale, ay + 0.6 * (by - ay) + ny * scale]
    q = [ax + 0.4 * (bx - ax) + nx * scale, ay + 0.4 * (by - ay) + ny * scale]
    twisted = [*ring[:11], p, q, *ring[11:]]
    _feature_collection("kelurahan_self_intersecting.geojson", [(
        {"kode": "53.71.01.1001", "nama": "Namosain"},
        {"type": "Polygon", "coordinates": [twisted]},
    )])
    lon, lat = POINTS["namosain"]
    d = 0.002
    bowtie = [[lon - d, lat - d], [lon + d, lat + d], [lon + d, lat - d], [lon - d, lat + d],
              [lon - d, lat - d]]
    _feature_collection("kelurahan_bowtie.geojson", [(
        {"kode": "53.71.01.1001", "nama": "Namosain"},
        {"type": "Polygon", "coordinates": [bowtie]},
    )])


def sea_and_bad_row() -> None:
    """A point in Teluk Kupang among good rows; and one unknown category among good rows."""
    _feature_collection("facilities_point_in_sea.geojson", [
        ({"id": "sea-1", "nama": "Puskesmas Fontein", "kategori": "puskesmas"},
         _point("fontein")),
        ({"id": "sea-2", "nama": "Dermaga", "kategori": "lainnya"},
         {"type": "Point", "coordinates": list(SEA)}),
    ])
    rows = [("bad-1", "SD Negeri Airnona", "SD", "airnona"),
            ("bad-2", "SMP Negeri 2", "SMP", "fontein"),
            ("bad-3", "Toko Kelontong", "Toko", "fatululi"),
            ("bad-4", "Pura Oebobo", "pura", "nefonaek")]
    _feature_collection("facilities_one_bad_row.geojson", [
        ({"id": i, "nama": n, "kategori": c}, _point(k)) for i, n, c, k in rows
    ])


def reimport_versions() -> None:
    """The same register twice: v2 renames one row and adds one (update, not duplicate)."""
    v1 = [("ri-1", "Puskesmas Naimata", "naimata"), ("ri-2", "Puskesmas Airnona", "airnona"),
          ("ri-3", "Puskesmas Fontein", "fontein")]
    v2 = [("ri-1", "Puskesmas Naimata", "naimata"),
          ("ri-2", "Puskesmas Pembantu Airnona", "airnona"),
          ("ri-3", "Puskesmas Fontein", "fontein"), ("ri-4", "Puskesmas Oesapa", "oesapa_selatan")]
    for name, rows in (("facilities_reimport_v1.geojson", v1),
                       ("facilities_reimport_v2.geojson", v2)):
        _feature_collection(name, [
            ({"id": i, "nama": n, "kategori": "puskesmas", "kode_opd": "DINKES"}, _point(k))
            for i, n, k in rows
        ])


def dgn95_files() -> None:
    """DGN95 / UTM 51S as a zipped Shapefile; DGN95 / TM-3 51.2 as a CSV with no CRS (--srid)."""
    keys = ("fatululi", "tode_kisar")
    stem = HERE / "facilities_dgn95_utm51s"
    write(stem.with_suffix(".shp"),
          _wkb([shapely.Point(_project(23881, *POINTS[k])) for k in keys]),
          [_strings("utm-1", "utm-2"), _strings("Kantor Camat Oebobo", "Kantor Lurah Tode Kisar"),
           _strings("kantor_pemerintah", "kantor_pemerintah")],
          ["ID", "NAMA", "KATEGORI"], driver="ESRI Shapefile", geometry_type="Point",
          crs="EPSG:23881", encoding="UTF-8")
    with zipfile.ZipFile(stem.with_suffix(".zip"), "w") as archive:
        for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            info = zipfile.ZipInfo(stem.name + suffix, date_time=(2025, 1, 1, 0, 0, 0))
            archive.writestr(info, stem.with_suffix(suffix).read_bytes())
            stem.with_suffix(suffix).unlink()
    lines = ["id,nama,kategori,x,y"]
    for i, key in enumerate(("manutapen", "oesapa_selatan"), start=1):
        x, y = _project(23840, *POINTS[key])
        lines.append(f"tm3-{i},Kantor Lurah {key.title()},kantor_pemerintah,{x:.4f},{y:.4f}")
    (HERE / "facilities_dgn95_tm3.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def keyless_and_typo_files() -> None:
    """A register without an id column; a CSV with two mistyped longitudes among good rows."""
    lines = ["nama,kategori,lon,lat"]
    for name, category, key in (("Pasar Oebobo", "pasar", "fatululi"),
                                ("SD Inpres Airnona", "sd", "airnona")):
        lon, lat = POINTS[key]
        lines.append(f"{name},{category},{lon},{lat}")
    (HERE / "facilities_no_key.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lon, lat = POINTS["fatululi"]
    lines = ["id,nama,kategori,lon,lat",
             f"typo-1,Pasar Fatululi,pasar,{lon},{lat}",
             f"typo-2,Pasar Salah Ketik,pasar,{str(lon).replace('.', '')},{lat}",
             f"typo-3,Pasar Airnona,pasar,{POINTS['airnona'][0]},{POINTS['airnona'][1]}",
             f"typo-4,Pasar Tak Hingga,pasar,1e400,{lat}",
             f"typo-5,Pasar Fontein,pasar,{POINTS['fontein'][0]},{POINTS['fontein'][1]}"]
    (HERE / "facilities_one_typo_coordinate.csv").write_text("\n".join(lines) + "\n",
                                                              encoding="utf-8")


def kelurahan_unknown_kecamatan() -> None:
    """A new kelurahan whose code names kecamatan 53.71.09, which Kota Kupang does not have."""
    lon, lat = POINTS["namosain"]
    d = 0.001
    square = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d],
              [lon - d, lat - d]]
    _feature_collection("kelurahan_unknown_kecamatan.geojson", [(
        {"kode": "53.71.09.1001", "nama": "Kelurahan Baru"},
        {"type": "Polygon", "coordinates": [square]},
    )])


def empty_files() -> None:
    """Nothing at all; a header and no rows; a FeatureCollection without features."""
    (HERE / "facilities_empty.csv").write_bytes(b"")
    (HERE / "facilities_header_only.csv").write_text("id,nama,kategori,lon,lat\n",
                                                     encoding="utf-8")
    _feature_collection("facilities_no_features.geojson", [])


def utf16_csv() -> None:
    """Excel's "Unicode text": UTF-16 LE with a byte-order mark, tab-separated."""
    lon, lat = POINTS["fontein"]
    text = f"id\tnama\tkategori\tlon\tlat\r\nu16-1\tPasar Ñ – Fontein\tpasar\t{lon}\t{lat}\r\n"
    (HERE / "facilities_utf16.csv").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))


def broken_zips() -> None:
    """A zip of a CSV (no .shp at all), and a zipped Shapefile that lost its .dbf."""
    info = zipfile.ZipInfo("fasilitas.csv", date_time=(2025, 1, 1, 0, 0, 0))
    with zipfile.ZipFile(HERE / "shapefile_without_shp.zip", "w") as archive:
        archive.writestr(info, "id,nama\nz-1,Pasar\n")
    stem = HERE / "jalan"
    write(stem.with_suffix(".shp"), _wkb([shapely.Point(POINTS["naimata"])]),
          [_strings("z-2")], ["id"], driver="ESRI Shapefile", geometry_type="Point",
          crs="EPSG:4326")
    with zipfile.ZipFile(HERE / "shapefile_without_dbf.zip", "w") as archive:
        for suffix in (".shp", ".shx", ".prj"):
            info = zipfile.ZipInfo(stem.name + suffix, date_time=(2025, 1, 1, 0, 0, 0))
            archive.writestr(info, stem.with_suffix(suffix).read_bytes())
    for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        stem.with_suffix(suffix).unlink(missing_ok=True)


def measured_geopackage() -> None:
    """GPS survey points with altitude and a measure (POINT ZM): both dropped on import."""
    path = HERE / "facilities_zm.gpkg"
    path.unlink(missing_ok=True)
    zm = [shapely.from_wkt("POINT ZM ({} {} 41.5 7)".format(*POINTS[k]))
          for k in ("tode_kisar", "nefonaek")]
    write(path, np.array([shapely.to_wkb(g, flavor="iso") for g in zm], dtype=object),
          [_strings("zm-1", "zm-2"), _strings("Klinik Tode Kisar", "Klinik Nefonaek"),
           _strings("klinik", "klinik")],
          ["id", "nama", "kategori"], layer="survei_gps", driver="GPKG", geometry_type="PointM",
          crs="EPSG:4326")


def first_sheet_xlsx() -> None:
    """An XLSX whose first sheet holds the data (no --sheet needed), a notes sheet after it."""
    book = Workbook()
    data = book.active
    data.title = "Fasilitas"
    data.append(["id", "nama", "kategori", "lintang", "bujur"])
    for i, key in enumerate(("manutapen", "nefonaek"), start=1):
        lon, lat = POINTS[key]
        data.append([f"xl-{i}", f"Puskesmas {key.title()}", "Puskesmas", lat, lon])
    book.create_sheet("Catatan").append(["Diisi oleh Dinas Kesehatan, 2025."])
    book.save(HERE / "facilities_first_sheet.xlsx")


def main() -> None:
    cp1252_shapefile()
    cp850_shapefile()
    decimal_comma_swapped_csv()
    dms_xlsx()
    utm51s_geopackage()
    phone_kml()
    self_intersecting_kelurahan()
    sea_and_bad_row()
    reimport_versions()
    dgn95_files()
    keyless_and_typo_files()
    kelurahan_unknown_kecamatan()
    empty_files()
    utf16_csv()
    broken_zips()
    measured_geopackage()
    first_sheet_xlsx()


if __name__ == "__main__":
    main()
