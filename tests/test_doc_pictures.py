"""The pictures in docs/images show the planning workbook and the finished plan as they are made today."""

from tests import doc_pictures


def test_docs_pictures_show_the_current_workbook_and_finished_plan(tmp_path):
    made = doc_pictures.fingerprint(*doc_pictures.demo_files(tmp_path))
    kept = doc_pictures.FINGERPRINT.read_text(encoding="utf-8").strip()
    assert made == kept, "the pictured sheets changed: run python -m tests.doc_pictures"
