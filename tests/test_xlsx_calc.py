"""The formula results stored with a template's formulas: Excel's rules for the functions the
template uses (LibreOffice's recalculation is compared in test_selfassess_programs.py)."""

from __future__ import annotations

import pytest

from inspector.io.xlsx_calc import Error, Sheet, Unknown


def result(formula: str, **cells: object) -> object:
    return Sheet(cells, {"Z99": formula}).result("Z99")


def test_blank_cells_are_zero_in_arithmetic_and_empty_in_comparisons() -> None:
    assert result("MAX(0,10-SUM(H6:H7))") == 10
    assert result("MIN(G6*1,1)*10") == 0
    assert result("MIN(G6*1.5,9)", G6=3.0) == 4.5
    assert result('IF(G5="","",MIN(MAX(G5*1,0),5))') == ""
    assert result('IF(G5="","",MIN(MAX(G5*1,0),5))', G5="7") == 5  # a number stored as text
    assert result('IF(I5<>"",0,4)') == 4
    assert result('IF(I5<>"",0,4)', I5="无系统") == 0
    assert result("G5") == 0  # a blank result shows as 0
    assert result("G5=0") is True and result('G5=""') is True


def test_sum_min_max_skip_texts_in_references() -> None:
    cells = {"H1": 2.0, "H2": "不适用", "H3": None, "H4": True}
    assert result("SUM(H1:H4)", **cells) == 2
    assert result("SUM(H1,H2,H3)", **cells) == 2
    assert result("MIN(H2:H3)", **cells) == 0
    assert result("MAX(H1:H4,5)", **cells) == 5
    assert result('SUM(H1,"3")', **cells) == 5  # a value given, not referenced, is converted


def test_index_match_iferror_round_and_grades() -> None:
    cells = {"B5": "实战演练", "B6": "仅培训", "C5": 5.0, "C6": 2.0}
    chosen = 'IF(G5="","",IFERROR(INDEX($C$5:$C$6,MATCH(G5,$B$5:$B$6,0)),""))'
    assert result(chosen, **cells) == ""
    assert result(chosen, G5="仅培训", **cells) == 2
    assert result(chosen, G5="别的", **cells) == ""
    assert result("MATCH(G5,$B$5:$B$6,0)", G5="x", **cells) == Error("#N/A")
    assert result("ROUND(H1*100/95,2)", H1=90.0) == 94.74
    assert result("ROUND(2.345,2)") == 2.35  # half away from zero, not to even
    assert result("ROUND(-2.5,0)") == -3
    grade = 'IF(H9>=90,"优秀",IF(H9>=60,"合格","不合格"))'
    assert result(grade, H9=94.0) == "优秀" and result(grade, H9=59.99) == "不合格"
    assert result('"a"&1&G1') == "a1"
    assert result("-H1+2^3", H1=1.0) == 7
    assert result("1/0") == Error("#DIV/0!")
    assert result('IF("x",1,2)') == Error("#VALUE!")


def test_choose_and_n_for_capped_grades() -> None:
    # the grade of a set with grade caps: the band, lowered by the aggravated entries entered
    grade = 'CHOOSE(MAX(IF(H9>=90,1,IF(H9>=60,2,3)),IF(N(G20)>0,2,1)),"优秀","合格","不合格")'
    assert result(grade, H9=95.0) == "优秀"
    assert result(grade, H9=95.0, G20=1.0) == "合格"
    assert result(grade, H9=50.0, G20=1.0) == "不合格"
    assert result("N(G1)", G1="3") == 0  # N() of a text is 0, not its number
    assert result("N(G1)", G1=True) == 1
    assert result("N(G1)") == 0
    assert result('CHOOSE(3,"a","b")') == Error("#VALUE!")
    assert result('CHOOSE(2,1/0,"b")') == "b"  # only the chosen value is evaluated


def test_texts_compare_without_case_and_after_numbers() -> None:
    assert result('"ABC"="abc"') is True
    assert result('"1">2') is True  # a text is greater than any number
    assert result('G1<>"否"', G1="否") is False


def test_what_it_cannot_evaluate_is_unknown() -> None:
    for formula in ("VLOOKUP(A1,B1:C2,2,0)", "A1:B2 C1", "Sheet2!A1", "SUM(", "A1"):
        with pytest.raises(Unknown):
            Sheet({}, {"Z99": formula, "A1": "A1"}).result("Z99")
