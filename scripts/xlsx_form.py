"""What the two data generators share: the form's columns and a byte-stable .xlsx writer.

The columns are written out here rather than read from the package's catalogue, so that the
sample and the test corpus are an independent statement of the contract in instrument.md.
"""

from __future__ import annotations

import os

# openpyxl writes its XML with lxml when lxml is installed (python-docx needs it) and with the
# standard library otherwise, and the two give different bytes: the sample and the corpus are
# always written the same way, so that their checksums hold on every machine.
os.environ["OPENPYXL_LXML"] = "False"

import io
import zipfile
from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

# (field, canonical Chinese header), in form order.
YES_NO_FIELDS: list[tuple[str, str]] = [
    ("rules_define_responsibility", "实施办法明确领导班子及成员责任"),
    ("decomposition_plan", "制定责任分解方案"),
    ("decomposition_layered", "逐级分解责任"),
    ("assessment_leading_group", "成立责任考核领导小组"),
    ("assessment_plan", "制定责任考核方案"),
    ("assessment_conducted", "开展责任考核"),
    ("assessment_democratic_appraisal", "考核与民主评议相结合"),
    ("reported_at_life_meeting", "纳入民主生活会和述职述廉"),
    ("assessment_feedback", "反馈考核结果"),
    ("assessment_results_applied", "考核结果作为奖惩和干部任用依据"),
    ("accountability_rules", "制定责任追究实施细则"),
    ("accountability_enforced", "实施责任追究"),
]
COUNT_FIELDS: list[tuple[str, str]] = [
    ("cadres_accountable_bureau", "追究局级干部人数"),
    ("cadres_accountable_division", "追究处级干部人数"),
]


def xlsx_bytes(
    wb: Workbook,
    zip_time: tuple[int, int, int, int, int, int],
    patch: Callable[[str, bytes], bytes] | None = None,
) -> bytes:
    """The workbook's bytes, depending only on its content.

    openpyxl's save() stamps the current time into the zip entries; write through
    ExcelWriter, then repack with fixed times (optionally rewriting parts on the way).
    """
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if patch is not None:
                data = patch(item.filename, data)
            info = zipfile.ZipInfo(item.filename, date_time=zip_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)
    return out.getvalue()
