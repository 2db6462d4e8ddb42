from pathlib import Path

import pytest

from advisor.parkfile import ParkFileError, read_park_file

GOOD_YAML = """
id: demo
name: Demo park
country: VN
companies:
  - id: c1
    name: Example Cement JSC
    industry: cement manufacturing
    isic: "2394"
    outputs: [{material: cement kiln dust, quantity: 1200, unit: t/yr}]
  - id: c2
    name: Nhiệt điện Demo
    industry: nhiệt điện than
    lat: 20.85
    lon: 106.74
"""


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


def test_yaml_is_read_with_flows_and_units(tmp_path: Path) -> None:
    park = read_park_file(write(tmp_path, "demo.yaml", GOOD_YAML))
    assert [c.id for c in park.companies] == ["c1", "c2"]
    assert park.companies[0].outputs[0].annual() == (1200.0, "t/yr")


def test_json_and_csv_give_the_same_park(tmp_path: Path) -> None:
    import json

    import yaml

    data = yaml.safe_load(GOOD_YAML)
    from_json = read_park_file(write(tmp_path, "demo.json", json.dumps(data, ensure_ascii=False)))
    csv_text = (
        "id,name,industry,isic,outputs,lat,lon\n"
        'c1,Example Cement JSC,cement manufacturing,2394,"cement kiln dust:1200 t/yr",,\n'
        "c2,Nhiệt điện Demo,nhiệt điện than,,,20.85,106.74\n"
    )
    from_csv = read_park_file(write(tmp_path, "demo.csv", csv_text))
    assert [c.model_dump() for c in from_csv.companies] == [c.model_dump() for c in from_json.companies]


def test_csv_in_a_legacy_encoding_is_read(tmp_path: Path) -> None:
    text = "id,name,industry\nc1,Công ty Thủy sản,chế biến thủy sản\nc2,Nhà máy xay lúa,xay xát lúa gạo\n"
    park = read_park_file(write(tmp_path, "vn.csv", text.encode("utf-16")))
    assert park.companies[0].industry == "chế biến thủy sản"


def test_xlsx_rows_and_formulas(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "name", "industry", "outputs"])
    ws.append(["c1", "Rice mill", "rice milling", "rice husk:5000 t/yr"])
    ws.append(["c2", "Power", "=A2&B2", None])
    path = tmp_path / "park.xlsx"
    wb.save(path)
    with pytest.raises(ParkFileError, match=r"row 3, field industry: a formula"):
        read_park_file(path)
    ws["C3"] = "biomass power plant"
    wb.save(path)
    assert read_park_file(path).companies[0].outputs[0].material == "rice husk"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.yaml", "", "the file is empty"),
        ("nolist.yaml", "id: x\nname: y\ncompanies: []\n", "the park has no companies"),
        ("dup.yaml", "id: x\nname: y\ncompanies:\n  - {id: a, name: A, industry: steel}\n  - {id: a, name: B, industry: paper}\n",
         "companies\\[1\\], field id: duplicate id 'a'"),
        ("noind.yaml", "id: x\nname: y\ncompanies:\n  - {id: a, name: A}\n", "companies\\[0\\] \\(a\\): .*industry"),
        ("unit.yaml", "id: x\nname: y\ncompanies:\n  - {id: a, name: A, industry: steel, outputs: [{material: slag, quantity: 5, unit: bananas}]}\n",
         "unknown unit 'bananas'"),
        ("broken.yaml", "id: x\nname: [unclosed\n", "line 2: not valid YAML"),
        ("missing.csv", "name,industry\nA,steel\n", "missing column\\(s\\) id"),
        ("badflow.csv", "id,name,industry,outputs\na,A,steel,:5 t\n", "row 2, field outputs: cannot read flow"),
        ("latonly.csv", "id,name,industry,lat\na,A,steel,abc\n", "row 2, field lat: 'abc' is not a number"),
        ("park.txt", "hello", "unsupported file type .txt"),
    ],
)  # fmt: skip
def test_bad_park_files_name_the_problem_and_where(tmp_path: Path, name: str, content: str, message: str) -> None:
    with pytest.raises(ParkFileError, match=message) as err:
        read_park_file(write(tmp_path, name, content))
    assert name in str(err.value) and "nothing was read" in str(err.value) or "empty" in str(err.value)


def test_a_file_over_10_mb_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with open(big, "wb") as f:
        f.truncate(11 * 1024 * 1024)
    with pytest.raises(ParkFileError, match="limited to 10 MB"):
        read_park_file(big)
