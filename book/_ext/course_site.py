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
* A chapter's launch buttons (Binder, Colab, JupyterHub) and its download
  button lead to its learner notebook in ``notebooks/`` (written for Jupyter
  by ``scripts/learner_notebooks.py``), not to the website's source; the
  learner notebooks are copied into the site for the download button.
"""

import re
import shutil
from pathlib import Path
from urllib.parse import quote

from docutils import nodes
from sphinx.application import Sphinx

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
    app.connect("build-finished", _copy_the_learner_notebooks)
    app.connect("html-page-context", _launch_the_learner_notebooks, priority=600)  # after the theme's buttons
    app.connect("build-finished", _drop_the_icon_script)
    app.connect("builder-inited", _html_visitors_for_singlehtml)
    app.connect("doctree-resolved", _link_the_pdf)
    app.connect("html-page-context", _one_copy_of_each_script, priority=900)  # after the theme's own
    app.add_css_file("course.css")
    app.add_js_file("course.js")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
