"""Write the small ingestion fixtures next to this file. Run once; the outputs are committed.

    .venv/bin/python tests/data/make_fixtures.py

Only this generator needs reportlab (for the PDF); the tests read the files it wrote.
The sample letter is made up: 青山市 does not exist.
"""

from __future__ import annotations

import io
from pathlib import Path

HERE = Path(__file__).parent

HEADER = [
    "青山市民政局",
    "青民函〔2024〕12号",
    "青山市民政局关于市政协五届三次会议第88号提案答复的函",
    "张明委员：",
    "您提出的《关于加强社区养老服务的建议》（第88号提案）收悉，现答复如下：",
]
BODY = [
    "一、基本情况",
    "全市共有养老机构 20 家，床位 3000 张。截至 2023 年底，全市 60 岁以上老年人 12.5 万人，老年人的获得感、幸福",
    "感持续增强。",
    "二、下一步工作",
    "（一）完善政策体系。",
    "加快出台社区养老服务设施建设管理办法，推动居家养老服务提质增效。",
    "（二）加强队伍建设",
    "一是开展养老护理员培训1000人次。二是落实护理员岗位补贴。",
]
CLOSING = [
    "感谢您对民政工作的关心和支持。",
    "青山市民政局",
    "2024年5月20日",
    "（联系人：李华；联系电话：0571-12345678）",
    "抄送：市政协提案委、市政府办公室",
]
LETTER = "\n\n".join(HEADER + BODY + CLOSING) + "\n"

HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>青山市民政局门户网站</title>
<style>body { font-size: 14px; }</style>
<script>var visits = "阅读次数"; document.write("脚本里的字");</script></head>
<body>
<header><div>青山市民政局门户网站</div><div>首页 | 政务公开 | 办事服务</div></header>
<nav><ul><li>首页</li><li>机构概况</li><li>政策法规</li></ul></nav>
<div class="tools">专业版 简繁转换 English</div>
<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 建议提案办理</div>
<div class="info">2024-05-21 09:30:00 来源：青山市民政局 阅读次数：128</div>
<div class="font">字体：大 中 小</div>
<div class="article">
<p>青山市民政局</p>
<p>青民函〔2024〕12号</p>
<h2>青山市民政局关于市政协五届三次会议第88号提案答复的函</h2>
<p>张明委员：</p>
<p>&emsp;&emsp;您提出的《关于加强社区养老服务的建议》（第88号提案）收悉，
现答复如下：</p>
<p>一、基本情况</p>
<p>全市共有养老机构20家，老年人的<span>幸福</span><span>感</span>持续增强。</p>
<p>二、下一步工作</p>
<p>加快出台社区养老服务设施建设管理办法。<br>推动居家养老服务提质增效。</p>
<p>感谢您对民政工作的关心和支持。</p>
<p style="text-align:right">青山市民政局</p>
<p style="text-align:right">2024年5月20日</p>
<p>（联系人：李华；联系电话：0571-12345678）</p>
</div>
<div class="tools">【打印本页】【关闭窗口】</div>
<div>分享到：</div>
<div>扫一扫在手机打开当前页</div>
<footer>版权所有：青山市民政局 网站标识码：1234567890 浙ICP备00000000号</footer>
</body></html>
"""

NO_META = "今天我们讨论一下社区食堂的菜单安排。\n\n周一供应米饭和青菜，周二供应面条。\n"


def _docx() -> bytes:
    import docx

    document = docx.Document()
    for line in HEADER + BODY[:3]:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate((("项目", "数量"), ("养老机构", "20家"))):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for line in BODY[3:] + CLOSING:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _pdf(with_text: bool = True) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)  # no timestamp or random id: reruns give the same bytes
    if not with_text:  # what a scan looks like to a text extractor: pictures, no text operators
        c.rect(72, 600, 300, 150, fill=1)
        c.showPage()
        c.save()
        return buf.getvalue()
    # page 1 ends inside a sentence ("幸福" / "感…") just as reply-01 does
    pages = [HEADER + BODY[:2], BODY[2:] + CLOSING]
    for lines in pages:
        c.setFont("STSong-Light", 11)
        y = 780
        for line in lines:
            c.drawString(60, y, line)
            y -= 22
        c.showPage()
    c.save()
    return buf.getvalue()


def main() -> None:
    files: dict[str, bytes] = {
        "letter-gbk.txt": LETTER.encode("gbk"),
        "letter-utf16.txt": LETTER.encode("utf-16"),  # Python writes the BOM
        "letter-utf8-bom.txt": LETTER.encode("utf-8-sig"),
        "letter.docx": _docx(),
        "letter.pdf": _pdf(),
        "page.html": HTML.encode("utf-8"),
        "no-meta.txt": NO_META.encode("utf-8"),
        "empty.txt": b"",
        "junk.txt": bytes(range(256)) * 8,
        "junk-control.txt": bytes(range(1, 32)) * 40,
        "letter.xyz": LETTER.encode("utf-8"),
        "scanned.pdf": _pdf(with_text=False),
        "corrupt.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\ngarbage\n",
    }
    files["corrupt.docx"] = files["letter.docx"][: len(files["letter.docx"]) // 2]
    for name, data in files.items():
        (HERE / name).write_bytes(data)
        print(f"wrote {name} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
