"""The web page at `/`, in a real browser: headless Chromium from the distribution's
packages (installed by .ci/run), driven by Selenium. Never skipped: without Chromium the
test fails and says how to install it."""

from __future__ import annotations

import shutil

import pytest
from fakes import EchoEngine
from serving import GLOSSARY_TSV, make_app, running

SENTENCE = "وقالت قسد إن عناصر داعش هاجموا السجن."
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def find(*names):
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    raise AssertionError(
        f"{names[0]} not found: install the browser the page test needs"
        " (Debian: apt-get install -y chromium chromium-driver; .ci/run does it)"
    )


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = find("chromium", "chromium-browser", "google-chrome")
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    options.add_argument("--window-size=1400,1000")
    driver = webdriver.Chrome(options=options, service=Service(executable_path=find("chromedriver")))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def site(tmp_path):
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "terms.tsv").write_text(GLOSSARY_TSV, encoding="utf-8")
    with running(make_app(EchoEngine(), folder)) as url:
        yield url, folder


def wait(driver, condition, seconds=20):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds, poll_frequency=0.05).until(condition)


def test_page_translates_with_terms_highlighted_in_both_languages(browser, site):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    from tarjama.glossary.model import load_glossary
    from tarjama.pipeline.translator import Translator

    url, folder = site
    browser.get(url + "/")
    source = browser.find_element(By.ID, "source")
    # Right-to-left for the Arabic, left-to-right for the English.
    assert source.value_of_css_property("direction") == "rtl"
    assert browser.find_element(By.ID, "translation").value_of_css_property("direction") == "ltr"

    source.send_keys(SENTENCE + "\nقال Daesh")
    browser.find_element(By.ID, "translate").click()
    wait(browser, lambda d: d.find_element(By.ID, "translation").text.strip())
    english = browser.find_element(By.ID, "translation").text
    expected = Translator("fake-model", glossary=load_glossary([folder]), engine=EchoEngine()).translate(SENTENCE + "\nقال Daesh")
    assert english == expected and "SDF" in english and "ISIS" in english
    assert browser.find_element(By.ID, "summary").text == "2 glossary terms applied, 0 unresolved"

    rows = browser.find_elements(By.CSS_SELECTOR, "#report tbody tr")
    assert len(rows) == 2
    ar_cell, en_cell = rows[0].find_element(By.CSS_SELECTOR, "td.source"), rows[0].find_element(By.CSS_SELECTOR, "td.target")
    assert ar_cell.value_of_css_property("direction") == "rtl" and en_cell.value_of_css_property("direction") == "ltr"
    ar_marks = ar_cell.find_elements(By.CSS_SELECTOR, "mark.term")
    en_marks = en_cell.find_elements(By.CSS_SELECTOR, "mark.term")
    assert [m.text for m in ar_marks] == ["قسد", "داعش"]
    assert [m.text for m in en_marks] == ["SDF", "ISIS"]
    hover = ar_marks[0].get_attribute("title")
    assert hover.startswith("قسد → SDF") and "forbidden: Qasad | Syrian Democratic Forces" in hover
    assert "note: house style is the acronym" in hover and "enforced: " in hover and "terms.tsv:2" in hover

    # Hovering the Arabic term lights up its English rendering too.
    ActionChains(browser).move_to_element(ar_marks[1]).perform()
    wait(browser, lambda d: "hot" in en_marks[1].get_attribute("class"))
    assert "hot" not in en_marks[0].get_attribute("class")

    # The stray forbidden rendering is listed.
    assert not browser.find_element(By.ID, "issues-section").get_attribute("hidden")
    issues = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#issues li")]
    assert issues == ["paragraph 2: 'Daesh' is a forbidden rendering of 'ISIS', but no glossary term matched here"]

    # Copy and download.
    browser.find_element(By.ID, "copy").click()
    wait(browser, lambda d: d.find_element(By.ID, "copy-status").text)
    assert browser.find_element(By.ID, "copy-status").text == "Copied"
    link = browser.find_element(By.ID, "download")
    assert link.get_attribute("download") == "translation.en.txt" and link.get_attribute("href").startswith("blob:")
    downloaded = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(document.getElementById('download').href).then(r => r.text()).then(done);"
    )
    assert downloaded == english


def test_page_file_drop_glossary_search_and_errors(browser, site, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(site[0] + "/")
    # Choosing a file translates it, markup kept; the download keeps its format.
    md = tmp_path / "news.md"
    md.write_text("# قسد\n\nقالت **داعش** اليوم.\n", encoding="utf-8")
    browser.find_element(By.ID, "file").send_keys(str(md))
    wait(browser, lambda d: d.find_element(By.ID, "translation").text.startswith("# SDF"))
    assert "**ISIS**" in browser.find_element(By.ID, "translation").text
    assert browser.find_element(By.ID, "download").get_attribute("download") == "news.en.md"
    assert browser.find_element(By.ID, "source").get_attribute("value").startswith("# قسد")

    # Dropping a file on the text area does the same.
    browser.execute_script(
        "const dt = new DataTransfer();"
        "dt.items.add(new File(['قوات سوريا الديمقراطية'], 'drop.txt', {type: 'text/plain'}));"
        "document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));"
    )
    wait(browser, lambda d: d.find_element(By.ID, "download").get_attribute("download") == "drop.en.txt")
    assert browser.find_element(By.ID, "translation").text.strip() == "SDF"

    # The glossary search matches Arabic in any spelling.
    box = browser.find_element(By.ID, "glossary-search")
    box.send_keys("الدوله")
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#glossary-results li"))
    results = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#glossary-results li")]
    assert results == ["داعش → ISIS (not: Daesh, ISIL)"]

    # An error is one line on the page.
    browser.find_element(By.ID, "source").clear()
    browser.find_element(By.ID, "translate").click()
    assert browser.find_element(By.ID, "status").text == "Paste Arabic text first, or choose a file."
    bad = tmp_path / "photo.jpg"
    bad.write_bytes(b"\xff\xd8")
    browser.find_element(By.ID, "file").send_keys(str(bad))
    wait(browser, lambda d: d.find_element(By.ID, "status").text)
    assert browser.find_element(By.ID, "status").text == "Error: Invalid request: file format not supported"


def test_page_shows_progress_and_never_a_stale_result(browser, tmp_path):
    """During a long request the page says "Translating…"; the previous English, its summary
    and its table are gone as soon as a new request starts, and stay gone after an error; the
    file picker takes every format the server reads, and a .docx comes back as a document."""
    import base64
    from pathlib import Path

    from selenium.webdriver.common.by import By
    from serving import GateEngine

    from tarjama.formats import supported_suffixes

    engine = GateEngine()
    with running(make_app(engine, cache=False)) as url:
        browser.get(url + "/")
        wait(browser, lambda d: d.find_element(By.ID, "file").get_attribute("accept") == ",".join(supported_suffixes()))
        source = browser.find_element(By.ID, "source")
        source.send_keys(SENTENCE)
        browser.find_element(By.ID, "translate").click()
        wait(browser, lambda d: d.find_element(By.ID, "summary").text)
        assert browser.find_element(By.ID, "translation").text

        engine.gate.clear()  # the next translation takes as long as the test wants
        engine.entered.clear()
        source.clear()
        source.send_keys("قال داعش")
        browser.find_element(By.ID, "translate").click()
        wait(browser, lambda d: engine.entered.is_set())
        progress = browser.find_element(By.ID, "progress")
        assert progress.is_displayed() and progress.text.startswith("Translating the text…")
        assert browser.find_element(By.ID, "translation").text == "" and browser.find_element(By.ID, "summary").text == ""
        assert not browser.find_element(By.ID, "report-section").is_displayed()
        assert browser.find_element(By.ID, "copy").get_attribute("disabled") and not browser.find_element(By.ID, "download").get_attribute("href")
        engine.gate.set()
        wait(browser, lambda d: d.find_element(By.ID, "summary").text)
        assert not browser.find_element(By.ID, "progress").is_displayed()

        # An error leaves no English on the page beside it.
        bad = tmp_path / "notes.rtf"
        bad.write_text("{\\rtf1 x}")
        browser.find_element(By.ID, "file").send_keys(str(bad))
        wait(browser, lambda d: d.find_element(By.ID, "status").text)
        assert browser.find_element(By.ID, "status").text == "Error: Invalid request: file format not supported"
        assert browser.find_element(By.ID, "translation").text == "" and browser.find_element(By.ID, "summary").text == ""
        assert not browser.find_element(By.ID, "report-section").is_displayed()
        assert browser.find_element(By.ID, "copy").get_attribute("disabled")

        # A Word document: its paragraphs in the text area, the English shown, the download a .docx.
        docx_file = Path(__file__).parent / "data" / "formats" / "sky-news-france-syria.ar.docx"
        browser.find_element(By.ID, "file").send_keys(str(docx_file))
        wait(browser, lambda d: d.find_element(By.ID, "summary").text)
        assert browser.find_element(By.ID, "status").text == ""
        assert "PK" not in browser.find_element(By.ID, "source").get_attribute("value")
        assert browser.find_element(By.ID, "translation").text.strip()
        assert browser.find_element(By.ID, "download").get_attribute("download") == "sky-news-france-syria.ar.en.docx"
        data = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch(document.getElementById('download').href).then(r => r.arrayBuffer())"
            ".then(b => done(btoa(String.fromCharCode(...new Uint8Array(b)))));"
        )
        assert base64.b64decode(data)[:2] == b"PK"
