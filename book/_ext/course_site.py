"""Small fixes the course's website needs, as a local Sphinx extension.

* Some scripts are registered twice by the book's extensions (sphinx-thebe's
  configuration, on every page: "Identifier 'THEBE_JS_URL' has already been
  declared" in the browser console). Every page keeps one copy of each.
* The course's own stylesheet and script: readable code without sideways
  scrolling, the answer boxes and slider figures, print rules, and
  accessible names for two of the theme's buttons.
* The single-page HTML build (for the PDF) gets the HTML visitors of nodes
  that only registered them for the ``html`` builder.
"""

from docutils import nodes
from sphinx.application import Sphinx

PDF_NAME = "bpcourse.pdf"  # written into the HTML output by scripts/build_pdf.py


def _one_copy_of_each_script(app, pagename, templatename, context, doctree):
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


def setup(app: Sphinx):
    app.connect("builder-inited", _html_visitors_for_singlehtml)
    app.connect("doctree-resolved", _link_the_pdf)
    app.connect("html-page-context", _one_copy_of_each_script)
    app.add_css_file("course.css")
    app.add_js_file("course.js")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
