#!/usr/bin/env python3
"""Checks a printed report.html (tests/report_print.sh runs it).

    report_print.py html REPORT.html
        The page fetches nothing: every src and href is a fragment (#id)
        or data:, and no style has @import or a url() outside the page.
    report_print.py net NETLOG.json
        Chromium's network log of printing the page holds no request the
        page made (Chromium's own background requests are not the page's:
        they do not carry the file:// network isolation key).
    report_print.py pdf REPORT.html REPORT.pdf
        Nothing is cut or split by the printing: every block of text the
        page prints (a paragraph, list item, heading, table cell, chart
        label, caption) is in the PDF whole, every word lies inside its
        page, each chart with its caption and each table row is on one
        page, and each heading is on the page of what follows it.

Text is compared as its letters and digits only (lower case, NFKC), so
line breaks, hyphens and spacing do not matter; pdftotext (poppler-utils)
reads the PDF. Exit status 0 when the check holds, 1 with one line per
problem otherwise.
"""
import html.parser
import json
import re
import subprocess
import sys
import unicodedata

BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th",
          "figcaption", "text", "summary", "pre"}
HIDDEN = {"head", "style", "script", "title", "details"}  # not printed
VOID = {"meta", "br", "img", "input", "link", "hr", "col", "path", "use",
        "rect", "circle", "line", "polyline", "polygon", "image", "stop"}


def norm(s):
    s = unicodedata.normalize("NFKC", s).lower()
    return "".join(c for c in s if c.isalnum())


class Page(html.parser.HTMLParser):
    """The printed blocks of text of a page, in order, each with the
    figure or table row it belongs to."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []        # open elements
        self.hidden = 0        # depth inside a hidden element
        self.chunks = []       # [kind, text, unit]
        self.open = []         # open blocks: [kind, [text parts]]
        self.unit = None       # ("figure", n) or ("tr", n)
        self.units = 0
        self.refs = []         # src/href values
        self.styles = []       # text of <style> and style attributes

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("src", "href", "xlink:href") and v is not None:
                self.refs.append(v)
            if k == "style" and v:
                self.styles.append(v)
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag in HIDDEN:
            self.hidden += 1
        if self.hidden:
            return
        if tag in ("figure", "tr"):
            self.units += 1
            self.unit = (tag, self.units)
        if tag in BLOCKS:
            self.open.append([tag, []])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID or tag not in self.stack:
            return
        while self.stack:
            t = self.stack.pop()
            self.end_element(t)
            if t == tag:
                break

    def end_element(self, tag):
        if tag in HIDDEN:
            self.hidden -= 1
            return
        if self.hidden:
            return
        if tag in BLOCKS and self.open and self.open[-1][0] == tag:
            kind, parts = self.open.pop()
            text = "".join(parts)
            if norm(text):
                self.chunks.append([kind, text.strip(), self.unit])
        if tag in ("figure", "tr"):
            self.unit = None

    def handle_data(self, data):
        if "style" in self.stack:
            self.styles.append(data)
        if self.hidden:
            return
        if self.open:
            self.open[-1][1].append(data)


def parse(path):
    p = Page()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    p.close()
    return p


def check_html(path):
    p = parse(path)
    bad = []
    for r in p.refs:
        if not (r.startswith("#") or r.startswith("data:")):
            bad.append("fetches %r (src/href)" % r)
    for s in p.styles:
        if "@import" in s:
            bad.append("a style has @import")
        for u in re.findall(r"url\(\s*['\"]?([^)'\"]*)", s):
            if not (u.startswith("#") or u.startswith("data:")):
                bad.append("a style fetches url(%s)" % u)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for tag in ("<script", "<link", "<iframe", "<object", "<embed"):
        if tag in text:
            bad.append("the page has %s" % tag)
    return bad


def check_net(path):
    with open(path, encoding="utf-8") as f:
        log = json.load(f)
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    bad = []
    for ev in log["events"]:
        par = ev.get("params") or {}
        url = par.get("url")
        if not url or types.get(ev["type"]) != "URL_REQUEST_START_JOB":
            continue
        if "file://" not in par.get("network_isolation_key", ""):
            continue  # Chromium's own, not the page's
        if not url.startswith("data:"):
            bad.append("the page requested %s" % url)
    return sorted(set(bad))


def pdf_pages(path):
    """Per page: (width, height, words with their boxes, normalised
    text)."""
    out = subprocess.run(["pdftotext", "-bbox", path, "-"], check=True,
                         capture_output=True, text=True).stdout
    pages = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)'
                         r'</page>', out, re.S):
        words = [(float(a), float(b), float(c), float(d),
                  html.unescape(w)) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" '
            r'yMax="([\d.-]+)">(.*?)</word>', m.group(3))]
        pages.append((float(m.group(1)), float(m.group(2)), words))
    texts = []
    for i in range(len(pages)):
        t = subprocess.run(["pdftotext", "-f", str(i + 1), "-l", str(i + 1),
                            path, "-"], check=True, capture_output=True,
                           text=True).stdout
        texts.append(norm(t))
    return [(w, h, words, t) for (w, h, words), t in zip(pages, texts)]


def where(chunk, pages):
    """The pages whose text holds chunk whole."""
    n = norm(chunk)
    return {i for i, p in enumerate(pages) if n in p[3]}


def check_pdf(html_path, pdf_path):
    page = parse(html_path)
    pages = pdf_pages(pdf_path)
    whole = "".join(p[3] for p in pages)
    bad = []
    for i, (w, h, words, _) in enumerate(pages):
        for x0, y0, x1, y1, word in words:
            if x0 < -0.5 or y0 < -0.5 or x1 > w + 0.5 or y1 > h + 0.5:
                bad.append("page %d: %r crosses the page's edge" %
                           (i + 1, word))
    # Each block whole, somewhere (a paragraph may run over a page break).
    on = []
    for kind, text, unit in page.chunks:
        pg = where(text, pages)
        on.append(pg)
        if norm(text) not in whole:
            bad.append("%s cut or missing: %r" % (kind, text[:80]))
    # A chart with its caption, a table row: all on one page.
    units = {}
    for (kind, text, unit), pg in zip(page.chunks, on):
        if unit:
            units.setdefault(unit, []).append((text, pg))
    for unit, parts in sorted(units.items(), key=lambda u: u[0][1]):
        common = set.intersection(*[pg for _, pg in parts])
        if not common:
            bad.append("%s split over pages: %r" %
                       (unit[0], " | ".join(t for t, _ in parts)[:100]))
    # A heading on the page of what follows it.
    for k, (kind, text, unit) in enumerate(page.chunks[:-1]):
        if kind in ("h2", "h3", "h4") and on[k] and on[k + 1] and \
                not on[k] & on[k + 1] and \
                max(on[k]) < min(on[k + 1]):
            bad.append("heading %r ends page %d, apart from what follows" %
                       (text[:60], max(on[k]) + 1))
    return bad


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("html", "net", "pdf"):
        sys.exit(__doc__)
    if sys.argv[1] == "html":
        bad = check_html(sys.argv[2])
    elif sys.argv[1] == "net":
        bad = check_net(sys.argv[2])
    else:
        bad = check_pdf(sys.argv[2], sys.argv[3])
    for b in bad[:40]:
        print(b)
    if len(bad) > 40:
        print("... and %d more" % (len(bad) - 40))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
