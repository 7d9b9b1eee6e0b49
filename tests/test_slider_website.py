"""The website's version of a slider figure (``SliderFigure.static_html``): data that cannot break the page."""

import json
import re

from bpcourse.widgets import SliderFigure


def _figure(label):
    return SliderFigure("demo", lambda ax, b3: ax.plot([0, 1], [0, b3]), {"b3": [0.0, 1.0]}, {"b3": 0.0},
                        label, lambda name, value: f"line to {value:g} </script><b>")


def test_a_label_cannot_end_the_data_block():
    page = _figure(lambda name, value: f"</script><script>alert(1)</script> {value:g}").static_html()
    # the page has exactly its two script blocks: the data and the code
    assert page.count("<script") == 2 and page.count("</script>") == 2
    data = re.search(r'<script type="application/json">(.*?)</script>', page, re.S).group(1)
    groups = json.loads(data)["groups"]
    assert groups[0]["texts"] == ["</script><script>alert(1)</script> 0", "</script><script>alert(1)</script> 1"]
    assert groups[0]["alts"][1] == "line to 1 </script><b>"


def test_frames_are_data_uris_for_the_build_to_store_as_files():
    page = _figure(lambda name, value: f"b3 = {value:g}").static_html()
    groups = json.loads(re.search(r'<script type="application/json">(.*?)</script>', page, re.S).group(1))["groups"]
    assert all(frame.startswith("data:image/png;base64,") for frame in groups[0]["frames"])
    assert re.search(r'<img src="data:image/png;base64,[^"]+" alt="line to 0 &lt;/script&gt;&lt;b&gt;">', page)
    assert '<label for="bpsf-demo-range">demo: move the slider</label>' in page
