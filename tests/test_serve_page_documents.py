"""The web page with a binary document (an Excel workbook), in a real browser: the English
is shown paragraph by paragraph and the Download button gives back the translated
workbook itself, not text. Same browser and server as test_serve_page.py."""

from __future__ import annotations

import base64
import io

import openpyxl
from test_serve_page import browser, site, wait  # noqa: F401 (fixtures)

from tarjama.text.arabic import has_arabic


def test_page_translates_a_workbook_and_downloads_the_workbook(browser, site, tmp_path):  # noqa: F811
    from selenium.webdriver.common.by import By

    book = openpyxl.Workbook()
    book.active["A1"] = "وقالت قسد إن عناصر داعش هاجموا السجن."
    book.active["A2"] = 7
    book.active["B1"] = "الرئاسة الفرنسية"
    path = tmp_path / "figures.xlsx"
    book.save(path)

    browser.get(site[0] + "/")
    browser.find_element(By.ID, "file").send_keys(str(path))
    wait(browser, lambda d: "SDF" in d.find_element(By.ID, "translation").text)
    shown = browser.find_element(By.ID, "translation").text.split("\n")
    assert len(shown) == 2 and "ISIS" in shown[0] and not any(has_arabic(line) for line in shown)
    source = browser.find_element(By.ID, "source").get_attribute("value")  # the Arabic, not the bytes
    assert "قسد" in source and "PK" not in source
    link = browser.find_element(By.ID, "download")
    assert link.get_attribute("download") == "figures.en.xlsx"
    downloaded = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(document.getElementById('download').href).then(r => r.arrayBuffer())"
        ".then(b => { let s = ''; for (const x of new Uint8Array(b)) s += String.fromCharCode(x); done(btoa(s)); });"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(downloaded))).active
    assert sheet["A1"].value == shown[0] and sheet["B1"].value == shown[1] and sheet["A2"].value == 7
