"""Park files: a park and its tenants, from YAML, JSON, CSV or XLSX, validated at the edge.

Every problem is reported with the file, the row (CSV/XLSX) or company index, and the field, and nothing is
returned unless the whole file is valid. CSV/XLSX hold one company per row with the YAML fields as columns; list
cells are separated by ``;`` and flows are written ``fly ash:12000 t/yr``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ontology.errors import SymbiosisError
from ontology.text import decode_bytes

__all__ = ["Company", "Flow", "ParkFile", "ParkFileError", "UNITS", "read_park_file"]

MAX_BYTES = 10 * 1024 * 1024
# Units a flow may carry, with the factor to the base unit of its dimension (t/yr, m3/yr, MWh/yr).
UNITS: dict[str, tuple[str, float]] = {
    "t/yr": ("t/yr", 1.0), "t/y": ("t/yr", 1.0), "tpa": ("t/yr", 1.0), "t/month": ("t/yr", 12.0),
    "t/d": ("t/yr", 330.0), "t/day": ("t/yr", 330.0), "kg/d": ("t/yr", 0.33), "kg/day": ("t/yr", 0.33),
    "kg/yr": ("t/yr", 0.001), "t/h": ("t/yr", 8000.0),
    "m3/yr": ("m3/yr", 1.0), "m3/y": ("m3/yr", 1.0), "m3/d": ("m3/yr", 330.0), "m3/day": ("m3/yr", 330.0),
    "m3/month": ("m3/yr", 12.0), "m3/h": ("m3/yr", 8000.0),
    "mwh/yr": ("MWh/yr", 1.0), "gwh/yr": ("MWh/yr", 1000.0), "kwh/yr": ("MWh/yr", 0.001),
    "gj/yr": ("MWh/yr", 0.2778), "tj/yr": ("MWh/yr", 277.8), "mw": ("MWh/yr", 8000.0),
}  # fmt: skip
_FLOW = re.compile(r"^\s*(?P<material>[^:]+?)\s*(?::\s*(?P<qty>[0-9][0-9.,]*)\s*(?P<unit>\S+)?)?\s*$")


class ParkFileError(SymbiosisError):
    """A park file is unusable; ``problems`` lists every issue found, each naming where."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = Path(path)
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:30])
        more = f"\n  ... and {len(problems) - 30} more" if len(problems) > 30 else ""
        super().__init__(f"{path}: {len(problems)} problem(s), nothing was read:\n{shown}{more}")


class Flow(BaseModel):
    """A declared output or input of a company."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    material: str = Field(min_length=1)
    quantity: float | None = Field(default=None, ge=0)
    unit: str | None = None

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str | None) -> str | None:
        if unit is None:
            return None
        if unit.strip().lower() not in UNITS:
            raise ValueError(f"unknown unit {unit!r}; use one of {', '.join(sorted({u for u, _ in UNITS.values()}))}")
        return unit.strip()

    @model_validator(mode="after")
    def _quantity_needs_unit(self) -> Flow:
        if self.quantity is not None and self.unit is None:
            raise ValueError("a quantity needs a unit (e.g. t/yr, m3/d, MWh/yr)")
        return self

    def annual(self) -> tuple[float, str] | None:
        """Quantity in the base unit of its dimension (t/yr, m3/yr or MWh/yr)."""
        if self.quantity is None or self.unit is None:
            return None
        base, factor = UNITS[self.unit.lower()]
        return self.quantity * factor, base


class Company(BaseModel):
    """A tenant of the park."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=300)
    industry: str | None = None
    isic: str | None = Field(default=None, pattern=r"^[0-9]{2,5}$")
    processes: list[str] = Field(default_factory=list)
    products: list[str] = Field(default_factory=list)
    outputs: list[Flow] = Field(default_factory=list)
    inputs: list[Flow] = Field(default_factory=list)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)

    @model_validator(mode="after")
    def _industry_or_code(self) -> Company:
        if not (self.industry and self.industry.strip()) and not self.isic:
            raise ValueError("needs an industry (free text) or an isic code")
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon go together")
        return self


class ParkFile(BaseModel):
    """A park and its tenants."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1)
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    holdout: list[str] = Field(default_factory=list, description="Documented cases to hide from the advisor.")
    companies: list[Company]


def _decode(raw: bytes, path: Path) -> str:
    text = decode_bytes(raw)
    if text is None:
        raise ParkFileError(path, ["not text in any encoding we recognise; save it as UTF-8"])
    return text


def _split(cell: Any) -> list[str]:
    if cell is None:
        return []
    return [part.strip() for part in str(cell).split(";") if part.strip()]


def _flows(cell: Any, where: str, problems: list[str]) -> list[dict[str, Any]]:
    out = []
    for part in _split(cell):
        m = _FLOW.match(part)
        if not m:
            problems.append(f"{where}: cannot read flow {part!r}; write it as 'fly ash:12000 t/yr'")
            continue
        qty = m.group("qty")
        out.append(
            {
                "material": m.group("material"),
                "quantity": float(qty.replace(",", "")) if qty else None,
                "unit": m.group("unit"),
            }
        )
    return out


_COLUMNS = {"id", "name", "industry", "isic", "processes", "products", "outputs", "inputs", "lat", "lon"}


def _rows_to_data(rows: list[dict[str, Any]], path: Path, problems: list[str], first_row: int) -> dict[str, Any]:
    if not rows:
        return {"companies": []}
    unknown = set(rows[0]) - _COLUMNS - {"park_id", "park_name", "country"}
    if unknown:
        problems.append(
            f"unknown column(s) {', '.join(sorted(map(str, unknown)))}; expected {', '.join(sorted(_COLUMNS))}"
        )
    missing = {"id", "name"} - set(rows[0])
    if missing:
        problems.append(f"missing column(s) {', '.join(sorted(missing))}")
    companies = []
    for n, row in enumerate(rows, first_row):
        where = f"row {n}"
        entry: dict[str, Any] = {
            k: v for k, v in row.items() if k in ("id", "name", "industry", "isic") and v not in (None, "")
        }
        for key in ("id", "isic", "name", "industry"):
            if key in entry:
                entry[key] = str(entry[key]).strip()
        entry["processes"] = _split(row.get("processes"))
        entry["products"] = _split(row.get("products"))
        entry["outputs"] = _flows(row.get("outputs"), f"{where}, field outputs", problems)
        entry["inputs"] = _flows(row.get("inputs"), f"{where}, field inputs", problems)
        for key in ("lat", "lon"):
            value = row.get(key)
            if value not in (None, ""):
                try:
                    entry[key] = float(value)
                except (TypeError, ValueError):
                    problems.append(f"{where}, field {key}: {value!r} is not a number")
        companies.append(entry)
    first = rows[0]
    return {
        "id": str(first.get("park_id") or path.stem),
        "name": str(first.get("park_name") or path.stem),
        **({"country": str(first["country"])} if first.get("country") else {}),
        "companies": companies,
    }


def _read_xlsx(path: Path, problems: list[str]) -> list[dict[str, Any]]:
    from zipfile import BadZipFile

    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (BadZipFile, OSError, KeyError, ValueError) as e:
        raise ParkFileError(path, [f"not a readable .xlsx workbook ({type(e).__name__})"]) from e
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    wb.close()
    if not rows:
        return []
    header = [str(h).strip().lower() if h is not None else "" for h in rows[0]]
    out = []
    for r, values in enumerate(rows[1:], 2):
        if all(v in (None, "") for v in values):
            continue
        for c, v in enumerate(values):
            if isinstance(v, str) and v.startswith("="):
                col = header[c] if c < len(header) else f"column {c + 1}"
                problems.append(f"row {r}, field {col}: a formula ({v[:30]}); formulas are not evaluated, paste values")
        out.append(dict(zip(header, values, strict=False)))
    return out


def read_park_file(path: Path) -> ParkFile:
    """Read and validate a park file (.yaml/.yml, .json, .csv, .xlsx).

    Raises:
        ParkFileError: every problem found, each naming the row or company and the field.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        raise ParkFileError(path, [f"cannot read the file ({e.strerror})"]) from e
    if size > MAX_BYTES:
        raise ParkFileError(path, [f"the file is {size / 1e6:.1f} MB; park files are limited to 10 MB"])
    if size == 0:
        raise ParkFileError(path, ["the file is empty"])
    suffix = path.suffix.lower()
    problems: list[str] = []
    if suffix in (".yaml", ".yml", ".json"):
        text = _decode(path.read_bytes(), path)
        try:
            data = json.loads(text) if suffix == ".json" else yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError) as e:
            mark = getattr(e, "context_mark", None) or getattr(e, "problem_mark", None)  # where the bad block starts
            line = getattr(e, "lineno", None) or (getattr(mark, "line", -1) + 1)
            raise ParkFileError(
                path, [f"line {line}: not valid {suffix[1:].upper()} ({str(e).splitlines()[0]})"]
            ) from e
        if not isinstance(data, dict):
            raise ParkFileError(path, ["the top level must be a mapping with id, name and companies"])
        first_row = None
    elif suffix == ".csv":
        text = _decode(path.read_bytes(), path)
        reader = csv.DictReader(io.StringIO(text))
        reader.fieldnames = [f.strip().lower() for f in reader.fieldnames or []]
        data = _rows_to_data(list(reader), path, problems, first_row=2)
        first_row = 2
    elif suffix == ".xlsx":
        data = _rows_to_data(_read_xlsx(path, problems), path, problems, first_row=2)
        first_row = 2
    else:
        raise ParkFileError(path, [f"unsupported file type {suffix or '(none)'}; use .yaml, .json, .csv or .xlsx"])
    try:
        park = ParkFile.model_validate(data)
    except ValidationError as e:
        for err in e.errors():
            problems.append(_where(err["loc"], data, first_row) + f": {err['msg']}")
        park = None
    if park is not None:
        if not park.companies:
            problems.append("the park has no companies")
        seen: dict[str, int] = {}
        for i, c in enumerate(park.companies):
            label = f"row {i + first_row}" if first_row else f"companies[{i}]"
            if c.id in seen:
                problems.append(f"{label}, field id: duplicate id {c.id!r} (also used by company {seen[c.id] + 1})")
            seen.setdefault(c.id, i)
    if problems:
        raise ParkFileError(path, problems)
    assert park is not None
    return park


def _where(loc: tuple[Any, ...], data: dict[str, Any], first_row: int | None) -> str:
    parts = list(loc)
    if len(parts) >= 2 and parts[0] == "companies" and isinstance(parts[1], int):
        index = parts[1]
        company = data.get("companies", [])[index] if index < len(data.get("companies", [])) else {}
        who = f" ({company.get('id')})" if isinstance(company, dict) and company.get("id") else ""
        head = f"row {index + first_row}{who}" if first_row else f"companies[{index}]{who}"
        rest = ".".join(str(p) for p in parts[2:])
        return f"{head}, field {rest}" if rest else head
    return "field " + ".".join(str(p) for p in parts) if parts else "file"
