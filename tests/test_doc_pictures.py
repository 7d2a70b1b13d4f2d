"""The pictures in docs/images show the finished plan as it is made today."""

from tests import doc_pictures


def test_docs_pictures_show_the_current_finished_plan(tmp_path):
    made = doc_pictures.fingerprint(doc_pictures.finished_demo(tmp_path))
    kept = doc_pictures.FINGERPRINT.read_text(encoding="utf-8").strip()
    assert made == kept, "the pictured sheets changed: run python -m tests.doc_pictures"
