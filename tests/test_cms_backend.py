"""The local back end, action by action, on real sites in tmp_path (no browser, no server).

Requests and answers have decap-server's shapes; reads and writes stay inside content/
and the media folder; a save is merged, checked by ``check`` and written whole, or
refused with ``check``'s report and nothing written.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

import pytest

from cityprofiles.server.editor.backend import LocalBackend
from conftest import MakeSite, run_cli

CITY = "content/cities/alphen/city.yaml"


def call(root: Path, action: str, **params: Any) -> tuple[int, Any]:
    return LocalBackend(root).handle({"action": action, "params": {"branch": "main", **params}})


def save(root: Path, path: str, raw: str) -> tuple[int, Any]:
    files = [{"path": path, "raw": raw, "slug": "x"}]
    options = {"commitMessage": "Update", "useWorkflow": False, "status": ""}
    return call(root, "persistEntry", dataFiles=files, assets=[], options=options)


def leftovers(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.name.startswith(".") and ".cache" not in p.parts
    )


def test_info_says_what_decap_server_says(make_site: MakeSite) -> None:
    root = make_site()
    assert LocalBackend(root).handle({"action": "info"}) == (
        200,
        {"repo": root.name, "publish_modes": ["simple"], "type": "local_fs"},
    )


def test_entries_are_listed_and_read_with_decap_servers_shapes(make_site: MakeSite) -> None:
    root = make_site({"content/cities/alphen/.city.yaml.swp": "x"})
    status, entries = call(
        root, "entriesByFolder", folder="content/cities", extension="yaml", depth=2
    )
    assert status == 200
    text = (root / CITY).read_bytes()
    assert entries == [
        {
            "data": text.decode(),
            "file": {"path": CITY, "id": hashlib.sha256(text).hexdigest()},
        }
    ]
    status, entry = call(root, "getEntry", path=CITY)
    assert (status, entry) == (200, entries[0])
    status, found = call(
        root, "entriesByFiles", files=[{"path": "content/networks.yaml", "label": "Networks"}]
    )
    assert status == 200 and found[0]["file"]["label"] == "Networks"
    missing = call(root, "getEntry", path="content/cities/nowhere/city.yaml")
    assert missing == (
        200,
        {"data": None, "file": {"path": "content/cities/nowhere/city.yaml", "id": None}},
    )


def test_a_valid_save_is_merged_into_the_file(make_site: MakeSite) -> None:
    root = make_site()
    before = (root / CITY).read_text("utf-8")
    raw = before.replace("value: 112000", "value: 113000").replace(
        "organisation: {en: City of Alphen, nl: Gemeente Alphen}",
        "organisation:\n  en: City of Alphen\n  nl: Gemeente Alphen",  # as Decap writes it
    )
    assert save(root, CITY, raw) == (200, {"message": "entry persisted"})
    after = (root / CITY).read_text("utf-8")
    assert after == before.replace("value: 112000", "value: 113000")
    assert leftovers(root) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "value: 112000",
            "value: many",
            "content/cities/alphen/city.yaml:4:21: population.value: ",
        ),
        (
            "- network: eurocities",
            "- network: nowhere",
            "memberships[0].network: ",
        ),
        ("country: NL", "country: Netherlands", "content/cities/alphen/city.yaml:3:10: country: "),
    ],
)
def test_an_invalid_save_is_refused_with_checks_report_and_nothing_is_written(
    make_site: MakeSite, old: str, new: str, expected: str
) -> None:
    root = make_site()
    before = (root / CITY).read_bytes()
    status, answer = save(root, CITY, before.decode().replace(old, new))
    assert status == 422
    assert expected in answer["error"]
    assert answer["error"].endswith("1 error in 1 file")
    assert (root / CITY).read_bytes() == before
    assert leftovers(root) == []
    # It is what `check` prints for the same file.
    (root / CITY).write_text(before.decode().replace(old, new), encoding="utf-8")
    printed = run_cli("check", root).stderr
    first = answer["error"].splitlines()[0]
    assert first in printed


def test_problems_the_site_already_had_do_not_block_a_save(make_site: MakeSite) -> None:
    root = make_site(
        {"content/cities/broken/city.yaml": "name: Broken\ncountry: NL\n"}  # many fields missing
    )
    assert run_cli("check", root).returncode == 1
    raw = (root / CITY).read_text("utf-8").replace("value: 112000", "value: 113000")
    assert save(root, CITY, raw)[0] == 200


def test_a_save_that_breaks_another_file_is_refused(make_site: MakeSite) -> None:
    root = make_site()
    networks = (root / "content/networks.yaml").read_text("utf-8")
    without = networks.split("  polis:")[0].replace("  eurocities:", "  eurocities-new:")
    status, answer = save(root, "content/networks.yaml", without)
    assert status == 422
    assert "content/cities/alphen/city.yaml" in answer["error"]
    assert "memberships[0].network" in answer["error"]
    assert (root / "content/networks.yaml").read_text("utf-8") == networks


def test_a_new_city_gets_its_folder_and_a_narrative_to_write_in_each_language(
    make_site: MakeSite,
) -> None:
    root = make_site()
    raw = (root / CITY).read_text("utf-8").replace("Alphen", "Leiden")
    status, _ = save(root, "content/cities/leiden/city.yaml", raw)
    assert status == 200
    folder = root / "content/cities/leiden"
    assert sorted(p.name for p in folder.iterdir()) == [
        "city.yaml",
        "narrative.en.md",
        "narrative.nl.md",
    ]
    assert "TODO" in (folder / "narrative.nl.md").read_text("utf-8")
    assert (folder / "city.yaml").read_text("utf-8").startswith("# yaml-language-server:")
    strict = run_cli("check", "--strict", root)
    assert strict.returncode == 1
    assert "content/cities/leiden/narrative.nl.md:1:1: still to do" in strict.stderr


def test_a_city_folder_that_is_not_a_slug_is_refused(make_site: MakeSite) -> None:
    root = make_site()
    raw = (root / CITY).read_text("utf-8")
    status, answer = save(root, "content/cities/Den Haag/city.yaml", raw)
    assert status == 422
    assert "is not a valid city folder name" in answer["error"]
    assert not (root / "content/cities/Den Haag").exists()


def test_markdown_is_saved_as_written_with_one_final_newline(make_site: MakeSite) -> None:
    root = make_site()
    path = "content/cities/alphen/narrative.en.md"
    assert save(root, path, "## Abroad\n\nAlphen works *with* others.")[0] == 200
    assert (root / path).read_text("utf-8") == "## Abroad\n\nAlphen works *with* others.\n"


@pytest.mark.parametrize(
    "path",
    [
        "content/../outside.yaml",
        "../outside.yaml",
        "/etc/passwd",
        "content/cities/alphen/../../../outside.yaml",
        "content\\cities\\alphen\\city.yaml",
        "content/cities/alphen/city.yaml\x00.md",
        "content/.git/config",
        "templates/base.html",
        "build/index.html",
        "",
    ],
)
def test_paths_outside_content_are_refused_for_reading_and_writing(
    make_site: MakeSite, path: str
) -> None:
    root = make_site()
    (root.parent / "outside.yaml").write_text("secret: 1\n", encoding="utf-8")
    for action, params in [
        ("getEntry", {"path": path}),
        ("entriesByFolder", {"folder": path, "extension": "yaml", "depth": 1}),
        ("deleteFile", {"path": path, "options": {"commitMessage": "x"}}),
    ]:
        status, answer = call(root, action, **params)
        assert status == 422, (action, answer)
    status, _ = save(root, path, "secret: 2\n")
    assert status == 422
    assert (root.parent / "outside.yaml").read_text("utf-8") == "secret: 1\n"


def test_symbolic_links_out_of_content_are_refused(make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "city.yaml").write_text("secret: 1\n", encoding="utf-8")
    (root / "content/cities/linked").symlink_to(outside)
    (root / "content/cities/alphen/story.md").symlink_to(outside / "city.yaml")
    (root / "static").mkdir()
    (root / "static/media").symlink_to(outside)
    for path in ("content/cities/linked/city.yaml", "content/cities/alphen/story.md"):
        assert call(root, "getEntry", path=path)[0] == 422
        assert save(root, path, "secret: 2\n")[0] == 422
    assert call(root, "getMedia", mediaFolder="static/media")[0] == 422
    assert (outside / "city.yaml").read_text("utf-8") == "secret: 1\n"
    status, entries = call(
        root, "entriesByFolder", folder="content/cities", extension="yaml", depth=2
    )
    assert status == 200
    assert [e["file"]["path"] for e in entries] == [CITY]  # the link is not followed


def test_media_are_written_listed_and_deleted_only_in_the_media_folder(make_site: MakeSite) -> None:
    root = make_site()
    content = base64.b64encode(b"%PDF-1.4 strategy").decode()
    asset = {"path": "static/media/strategy.pdf", "content": content, "encoding": "base64"}
    status, stored = call(root, "persistMedia", asset=asset, options={"commitMessage": "x"})
    assert status == 200
    assert stored["path"] == "static/media/strategy.pdf" and stored["content"] == content
    assert (root / "static/media/strategy.pdf").read_bytes() == b"%PDF-1.4 strategy"
    status, listed = call(root, "getMedia", mediaFolder="static/media")
    assert [item["name"] for item in listed] == ["strategy.pdf"]
    elsewhere = {**asset, "path": "content/strategy.pdf"}
    assert call(root, "persistMedia", asset=elsewhere, options={"commitMessage": "x"})[0] == 422
    assert not (root / "content/strategy.pdf").exists()
    status, _ = call(root, "deleteFile", path="static/media/strategy.pdf", options={})
    assert status == 200 and not (root / "static/media/strategy.pdf").exists()


def test_deleting_content_is_checked_like_a_save(make_site: MakeSite) -> None:
    root = make_site()
    status, answer = call(root, "deleteFile", path="content/networks.yaml", options={})
    assert status == 422 and "content/networks.yaml" in answer["error"]
    assert (root / "content/networks.yaml").exists()
    story = "content/cities/alphen/narrative.nl.md"
    status, _ = call(root, "deleteFiles", paths=[story], options={"commitMessage": "x"})
    assert status == 200 and not (root / story).exists()  # only a warning: allowed


def test_requests_decap_server_refuses_are_refused(make_site: MakeSite) -> None:
    root = make_site()
    backend = LocalBackend(root)
    assert backend.handle({"action": "unpublishedEntries", "params": {}}) == (
        422,
        {"error": "Unknown action unpublishedEntries"},
    )
    assert backend.handle({"params": {}})[0] == 422
    assert backend.handle({"action": "getEntry"})[0] == 422
    assert call(root, "entriesByFolder", folder="content", extension="yaml", depth="2")[0] == 422
    moved = [{"path": CITY, "raw": "a: 1", "slug": "x", "newPath": "content/cities/b/city.yaml"}]
    status, answer = call(root, "persistEntry", dataFiles=moved, assets=[], options={})
    assert status == 422 and "moving" in answer["error"]
    assert call(root, "persistEntry", dataFiles=[], assets=[], options={})[0] == 422
    bad = [{"path": "content/cities/alphen/notes.txt", "raw": "x", "slug": "x"}]
    status, answer = call(root, "persistEntry", dataFiles=bad, assets=[], options={})
    assert status == 422 and "does not write this file" in answer["error"]


def test_admin_is_served_under_the_base_path_with_its_own_policy(make_site: MakeSite) -> None:
    from cityprofiles.server.editor.http import AdminPages

    root = make_site()
    pages = AdminPages(root, "http://127.0.0.1:8000")
    assert pages("/en/", "/") is None  # the site's own pages are not the editor's
    assert pages("/admin", "/")[:2] == ("301 Moved Permanently", [("Location", "/admin/")])
    status, headers, body = pages("/cities/admin/", "/cities/")
    assert status == "200 OK"
    header = dict(headers)
    assert header["Content-Type"] == "text/html; charset=utf-8"
    assert header["Content-Security-Policy"].startswith("default-src 'none'; script-src 'self'")
    assert header["Content-Security-Policy"].endswith("frame-ancestors 'none'")
    assert header["X-Robots-Tag"] == "noindex, nofollow"
    assert b'<meta name="robots" content="noindex, nofollow">' in body
    status, headers, config = pages("/cities/admin/config.nl.yml", "/cities/")
    assert dict(headers)["Content-Type"] == "text/yaml; charset=utf-8"
    assert b"proxy_url: /api/v1" in config
    assert b"site_url: http://127.0.0.1:8000/cities/" in config
    for name in ("../content/site.yaml", "%2e%2e/x", ".hidden", "nothing.js", "a/b.js"):
        assert pages(f"/admin/{name}", "/")[0] == "404 Not Found", name


def test_a_broken_site_yaml_is_shown_instead_of_the_editor(make_site: MakeSite) -> None:
    from cityprofiles.server.editor.http import AdminPages

    root = make_site({"content/site.yaml": "title: {en: Test}\nlanguages: [en]\n"})
    status, _, body = AdminPages(root)("/admin/", "/")
    assert status == "500 Internal Server Error"
    assert b"content/site.yaml" in body and b"required field 'base_url' is missing" in body


def test_the_editor_is_not_offered_to_the_network(make_site: MakeSite) -> None:
    from cityprofiles.server.editor.http import editor_routes

    said: list[str] = []
    assert editor_routes(make_site(), "0.0.0.0", 8000, said.append) == ([], None)
    assert "only served on 127.0.0.1" in said[0]
    routes, pages = editor_routes(make_site(), "127.0.0.1", 8000, said.append)
    assert [route[0] for route in routes] == ["/api/v1"] and pages is not None
