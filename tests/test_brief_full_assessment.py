"""The board brief of a real-sized assessment: every bundled tree answered along its longest path
(the benchmark's assessment, benchmarks/report_bench.py), read back from the PDF and Word files."""

import importlib.util
import io

from docx import Document
from pypdf import PdfReader

from dpup import config
from dpup.reports.model import build_report
from dpup.reports.pdf_brief import render_brief_pdf
from dpup.reports.word import render_brief_docx

_spec = importlib.util.spec_from_file_location("report_bench", config.PROJECT_ROOT / "benchmarks" / "report_bench.py")
report_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(report_bench)


def test_the_brief_of_an_assessment_of_every_tree_fits_four_pages_with_each_finding_once(bundled_app):
    with bundled_app.app_context():
        assessment, trees, _ = report_bench.build(bundled_app, tries=40)
        report = build_report(bundled_app.extensions["dpup.library"], assessment)
        pdf = PdfReader(io.BytesIO(render_brief_pdf(report)))
        word = "\n".join(p.text for p in Document(io.BytesIO(render_brief_docx(report))).paragraphs)
    assert trees >= 6 and report.findings_total > 40  # a real-sized assessment
    assert len(pdf.pages) <= 4
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert report.priorities and len(report.priorities) <= 7
    assert report.priorities_more > 0 and f"{report.priorities_more} more findings are listed in the full record" in text
    for finding in report.priorities:
        start = " ".join(finding.text.split())[:60]
        assert text.count(start) == 1, start  # each top finding once in the PDF
        assert word.count(finding.text[:60]) == 1, finding.text[:60]  # and in the Word brief
