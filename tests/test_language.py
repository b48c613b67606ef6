"""Māori words are marked lang="mi" so screen readers pronounce them as te reo Māori."""

from dpup.markup import mark_language, render_markdown

WORDS = ("He Tāngata", "whānau", "Māori", "iwi")


def test_words_are_wrapped_in_text_but_never_in_tags_code_or_attributes():
    html = render_markdown("## He Tāngata\n\nAsk **whānau** and [Māori groups](/pages/whānau). `iwi` stays code.")
    marked = mark_language(html, WORDS)
    assert '<h2 id="he-tangata"><span lang="mi">He Tāngata</span></h2>' in marked
    assert '<strong><span lang="mi">whānau</span></strong>' in marked
    assert 'href="/pages/whānau"' in marked  # attribute untouched
    assert "<code>iwi</code>" in marked
    assert '<span lang="mi">Māori</span> groups' in marked


def test_parts_of_other_words_are_not_marked():
    assert mark_language("Hemiwi and iwis", ("iwi",)) == "Hemiwi and iwis"


def test_pages_mark_maori_words(bundled_app):
    html = bundled_app.test_client().get("/pages/principles/he-tangata").get_data(as_text=True)
    assert '<h1><span lang="mi">He Tāngata</span></h1>' in html
    assert html.count('lang="mi"') > 3
