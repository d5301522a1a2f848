"""Chinese numerals as people write them in letters and questions: 二〇二一, 二十七, 七百一十三, 叁, 两. Pure."""

from __future__ import annotations

_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2} | {
    c: i + 1 for i, c in enumerate("壹贰叁肆伍陆柒捌玖")}
_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
NUMERAL_CHARS = "".join(_DIGIT) + "".join(_UNIT)


def cn_int(s: str) -> int:
    """"2021" → 2021, "二〇二一" → 2021 (digit by digit), "二十七" → 27, "十" → 10, "七百一十三" → 713,
    "三千五百" → 3500, "叁" → 3. Raises ValueError for anything else."""
    s = s.strip()
    if s.isdigit():
        return int(s)
    if not s or any(c not in _DIGIT and c not in _UNIT for c in s):
        raise ValueError(f"not a Chinese numeral: {s!r}")
    if not any(c in _UNIT for c in s):
        return int("".join(str(_DIGIT[c]) for c in s))
    total, digit = 0, None
    for c in s:
        if c in _UNIT:
            total += (1 if digit is None else digit) * _UNIT[c]
            digit = None
        elif _DIGIT[c] or digit is None:  # 零 in 一百零三 holds a place
            digit = _DIGIT[c]
    return total + (digit or 0)
