"""Print layout worked out by hand: the scale that fits columns to pages, and where pages break."""

from dyplan.template.pages import Span, page_breaks, page_columns, page_scale, print_scale


def test_print_scale_fits_the_columns_to_the_page_width():
    # 100 columns of width 10 take 100 × (10 × 6.75 + 3.75) = 7,125 pt; a page is 784.08 pt wide:
    # 784.08 / 7,125 = 11.0 %, so 11 % fits and 12 % would not.
    assert print_scale([10] * 100) == 11
    assert print_scale([10] * 5) == 100  # 356 pt: never enlarged past 100 %


def test_pages_wide_repeat_column_a_and_start_where_the_last_page_filled():
    # At 100 %: 10 columns of 15 (15 × 6.75 + 3.75 = 105 pt each) on pages of 784.08 pt: 7 fit (735 pt);
    # page 2 repeats column A and takes the other 3 (420 pt).
    assert page_columns([15] * 10, 1.0, repeated=1) == [7]
    assert print_scale([15] * 10, pages_wide=2, repeated=1) == 100


def test_a_block_that_would_not_fit_below_starts_the_next_page():
    # At 100 % a page holds 523.44 pt: 20 rows of 20 pt and the blank row 20 (420 pt) leave 103 pt,
    # less than the next block's 10 rows (200 pt): it starts page 2 at row 21; the block after it
    # (rows 31–35) fits there.
    blocks = [Span(0, 19, 20), Span(21, 30, 10), Span(31, 35, 5)]
    assert page_breaks(blocks, lambda row: 20.0, 100) == [21]


def test_a_block_taller_than_a_page_needs_only_its_first_rows_where_it_starts():
    # 20 rows used (400 pt); a block of 381 rows asks for its title, header and 4 rows (120 pt): 520 pt
    # fit page 1. With one more row above (420 + 120 = 540 pt) it starts page 2.
    assert page_breaks([Span(0, 19, 20), Span(20, 400, 381)], lambda row: 20.0, 100) == []
    assert page_breaks([Span(0, 20, 21), Span(21, 401, 381)], lambda row: 20.0, 100) == [21]


def test_after_a_block_taller_than_a_page_pages_are_counted_as_the_client_fills_them():
    # 60 rows of 20 pt fill pages of 26 rows (520 pt): rows 0–25, 26–51, 52–59. The next block, from
    # row 61 (the blank row 60 between), has 9 rows (180 pt) above it on that page: 10 more rows
    # (200 pt) fit, 20 (400 pt) do not.
    assert page_breaks([Span(0, 59, 60), Span(61, 70, 10)], lambda row: 20.0, 100) == []
    assert page_breaks([Span(0, 59, 60), Span(61, 80, 20)], lambda row: 20.0, 100) == [61]


def test_page_scale_fits_every_row_on_one_page():
    # 40 rows of 20 pt take 800 pt; a page holds 523.44 pt: at 65 % they take 520 pt and fit, at 66 %
    # 528 pt do not. 10 rows (200 pt) fit at 100 %: never enlarged past it.
    assert page_scale([20.0] * 40) == 65
    assert page_scale([20.0] * 10) == 100
