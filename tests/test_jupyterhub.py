"""An instructor's own JupyterHub: one setting in _config.yml gives every chapter an nbgitpuller launch link."""

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from site_support import ROOT, clean_export, require

JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
HUB = "https://hub.example.edu"


def test_jupyterhub_url_in_config_makes_nbgitpuller_links(tmp_path):
    require((ROOT / ".git").exists(), "needs a git checkout")
    export = clean_export(tmp_path / "repo")
    config = export / "_config.yml"
    text, count = re.subn(r'jupyterhub_url: ""', f'jupyterhub_url: "{HUB}"', config.read_text())
    assert count == 1, "_config.yml should have one jupyterhub_url setting to fill in"
    config.write_text(text)
    build = subprocess.run([str(JUPYTER_BOOK), "build", str(export), "--warningiserror"],
                           capture_output=True, text=True, timeout=900)
    assert build.returncode == 0, build.stdout[-2000:]
    url, branch = re.search(r"url:\s*(\S+)", text).group(1), re.search(r"branch:\s*(\S+)", text).group(1)
    for page in sorted((export / "book").glob("[0-9][0-9]_*.ipynb")):
        html = (export / "_build" / "html" / "book" / f"{page.stem}.html").read_text()
        links = re.findall(r'href="(' + re.escape(HUB) + r'[^"]*)"', html)
        assert len(links) == 1, page.stem
        parts = urlsplit(links[0].replace("&amp;", "&"))
        query = parse_qs(parts.query)
        assert parts.path == "/hub/user-redirect/git-pull"
        assert query["repo"] == [url] and query["branch"] == [branch]
        assert query["urlpath"] == [f"lab/tree/{urlsplit(url).path.rsplit('/', 1)[-1]}/notebooks/{page.stem}.ipynb"]
