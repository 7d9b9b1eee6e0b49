"""Every internal link and anchor of the built site resolves, and launch links point at the right notebooks."""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from site_support import CHAPTERS, ROOT, SITE, page_path, require_site


class LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "link" and attrs.get("rel") in ("canonical",)):
                self.links.append((tag, key, attrs[key]))


def parse(path):
    collector = LinkCollector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


@pytest.fixture(scope="module")
def pages():
    require_site()
    # _static holds theme templates (Jinja), not pages
    return {p: parse(p) for p in SITE.rglob("*.html") if "_static" not in p.relative_to(SITE).parts}


def test_every_internal_link_and_anchor_resolves(pages):
    broken = []
    for page, collected in pages.items():
        for tag, key, target in collected.links:
            parts = urlsplit(target)
            if parts.scheme or target.startswith(("mailto:", "javascript:", "data:")) or target.startswith("//"):
                continue
            path = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if path.is_dir():
                path = path / "index.html"
            if not path.exists():
                broken.append(f"{page.relative_to(SITE)}: {tag} {key}={target}")
                continue
            if parts.fragment and path.suffix == ".html":
                ids = pages[path].ids if path in pages else parse(path).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(SITE)}: missing anchor {target}")
    assert not broken, "\n".join(broken[:20])


def test_no_page_loads_a_script_style_or_image_from_another_host(pages):
    outside = []
    for page, collected in pages.items():
        for tag, key, target in collected.links:
            if tag in ("script", "img", "link", "iframe") and urlsplit(target).scheme in ("http", "https"):
                outside.append(f"{page.relative_to(SITE)}: <{tag} {key}={target}>")
    assert not outside, "\n".join(outside)


def configured_repository():
    config = (ROOT / "_config.yml").read_text()
    url = re.search(r"^\s*url:\s*(\S+)", config, re.M).group(1)
    branch = re.search(r"^\s*branch:\s*(\S+)", config, re.M).group(1)
    return url, branch


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_launch_and_download_links_point_at_the_chapter(pages, chapter):
    url, branch = configured_repository()
    owner_repo = urlsplit(url).path.strip("/")
    page = page_path(chapter).resolve()
    hrefs = [target for tag, key, target in pages[page].links if tag == "a"]
    binder = [h for h in hrefs if "mybinder.org" in h]
    colab = [h for h in hrefs if "colab.research.google.com" in h]
    # the learner notebooks, written for Jupyter from the chapters (tests/test_learner_notebooks.py)
    assert binder == [f"https://mybinder.org/v2/gh/{owner_repo}/{branch}?urlpath=lab/tree/notebooks/{chapter}.ipynb"]
    assert colab == [f"https://colab.research.google.com/github/{owner_repo}/blob/{branch}/notebooks/{chapter}.ipynb"]
    query = parse_qs(urlsplit(binder[0]).query)
    assert (ROOT / query["urlpath"][0].removeprefix("lab/tree/")).exists()
    downloads = [h for h in hrefs if h.endswith(f"{chapter}.ipynb") and not urlsplit(h).scheme]
    assert downloads, "a download link to the notebook"
    assert all((page.parent / d).resolve().exists() for d in downloads)


def test_the_references_page_lists_the_sources_and_the_cited_works():
    require_site()
    references = (SITE / "book" / "references.html").read_text(encoding="utf-8")
    entries = re.findall(r'<div class="citation" role="listitem" id="([^"]+)"', references)
    text = re.sub(r"<[^>]+>", " ", references)
    for work in ("Backpropagation in Neural Networks: Main Ideas", "Analysis of the Backpropagation algorithm",
                 "Lecture 9", "Learning representations by back-propagating errors", "The perceptron"):
        assert work in text, work
    # chapter 1 cites the papers its history names, each citation a link to its entry
    history = page_path("01_neurons").read_text(encoding="utf-8")
    cited = set(re.findall(r'href="references\.html#([^"]+)"', history))
    assert len(cited) >= 10 and cited <= set(entries)


# Chapters 6 and 8 are being rewritten; their figures get numbers and captions with the rewrite.
@pytest.mark.parametrize("name", CHAPTERS)
def test_every_chapter_figure_has_a_number_and_a_caption(name):
    require_site()
    html = page_path(name).read_text(encoding="utf-8")
    chapter = int(name[:2])
    outputs = re.findall(r'<div class="cell_output docutils container">(.*?)\n</div>\n</div>', html, re.S)
    figures = [o for o in outputs if "<img" in o and "bp-slider-figure" not in o]
    assert figures, "every chapter has figures"
    numbers = []
    for output in figures:
        caption = re.search(r'<figcaption>\s*<p><span class="caption-number">Fig\. (\d+)\.(\d+) </span>'
                            r'<span class="caption-text">([^<]{10,})</span>', output)
        assert caption, output[:300]
        assert int(caption.group(1)) == chapter
        numbers.append(int(caption.group(2)))
    assert numbers == list(range(1, len(numbers) + 1))
    # the text refers to figures by their number
    assert re.search(r"<span class=\"std std-numref\">Fig\. \d+\.\d+</span>", html)
