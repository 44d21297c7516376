"""build.py: options from flags and environment, the page shells, headers, archive."""

import json
import re
import zipfile

import pytest

import build
from app.core.config import RuntimeConfig
from app.core.formatting import LocaleFormat
from app.core.i18n import load_translations
from app.core.render import Renderer
from app.core.sample import sample_fleet
from app.core.shard_states import SHARD_STATE_TABLES
from app.core.view import build_page_view
from simulator.static import headers_for, parse_headers_file

NOW = 1_800_000_000_000


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    build.build(
        build.parse_args(
            [
                "--out",
                str(out),
                "--api-url",
                "https://api.example.test",
                "--ws-url",
                "https://ws.example.test:8443",
                "--poll-seconds",
                "20",
                "--no-mock-fallback",
            ]
        )
    )
    return out


def embedded_config(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="status-config">(.*?)</script>', html)
    return json.loads(match.group(1))


def test_flags_reach_the_page_config(dist):
    config = embedded_config((dist / "index.html").read_text())
    assert config["api_url"] == "https://api.example.test"
    assert config["ws_url"] == "https://ws.example.test:8443"
    assert config["poll_seconds"] == 20
    assert config["mock_fallback"] is False


def test_environment_is_read_and_flags_win(monkeypatch):
    monkeypatch.setenv("STATUS_API_URL", "https://env-api.test")
    monkeypatch.setenv("STATUS_POLL_SECONDS", "30")
    monkeypatch.setenv("STATUS_MOCK_FALLBACK", "0")
    config = build.runtime_config(build.parse_args(["--poll-seconds", "5"]))
    assert config.api_url == "https://env-api.test"
    assert config.poll_seconds == 5
    assert config.mock_fallback is False


def test_defaults_are_the_local_simulator(monkeypatch):
    for name in ("STATUS_API_URL", "STATUS_WS_URL", "STATUS_MOCK_FALLBACK"):
        monkeypatch.delenv(name, raising=False)
    config = build.runtime_config(build.parse_args([]))
    assert config == RuntimeConfig()
    assert config.api_url == "http://localhost:3000" and config.ws_url == "http://localhost:4000"
    assert config.mock_fallback is True


def test_bad_option_values_are_refused_clearly():
    with pytest.raises(SystemExit, match="api_url must be an http"):
        build.main(["--api-url", "javascript:alert(1)", "--out", "/nonexistent/never"])


def test_out_never_points_at_the_sources():
    with pytest.raises(SystemExit, match="refusing"):
        build.main(["--out", str(build.ROOT)])
    assert (build.ROOT / "build.py").exists()


@pytest.mark.parametrize(
    ("path", "lang"),
    [
        ("index.html", "en"),
        ("de/index.html", "de"),
        ("fr/index.html", "fr"),
        ("es/index.html", "es"),
    ],
)
def test_each_locale_has_a_prerendered_shell(dist, path, lang):
    html = (dist / path).read_text()
    assert f'<html lang="{lang}" data-source="connecting"' in html
    assert 'data-overall="unknown"' in html
    assert html.count("cluster--skeleton") == 4
    assert 'type="py"' in html
    for href in ("/", "/de/", "/fr/", "/es/"):
        assert f'href="{href}"' in html


def test_csp_names_only_our_origin_and_the_configured_backends(dist):
    rules = parse_headers_file((dist / "_headers").read_text())
    csp = headers_for(rules, "/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["connect-src"] == (
        "'self' https://api.example.test https://ws.example.test:8443 wss://ws.example.test:8443"
    )
    assert directives["script-src"] == "'self' 'unsafe-eval'"
    assert directives["default-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_every_served_file_has_exactly_one_cache_policy(dist):
    rules = parse_headers_file((dist / "_headers").read_text())
    for file in dist.rglob("*"):
        if file.is_dir() or file.name == "_headers":
            continue
        path = "/" + file.relative_to(dist).as_posix()
        policy = headers_for(rules, path).get("Cache-Control")
        assert policy in ("no-cache", build.IMMUTABLE), path
    assert headers_for(rules, "/de/")["Cache-Control"] == "no-cache"


def test_archive_holds_app_catalogs_and_pure_python_deps(dist):
    archive = next((dist / "assets").glob("app-*.zip"))
    names = set(zipfile.ZipFile(archive).namelist())
    # Bytecode only, compiled by the page's own Pyodide: no sources to download or compile.
    assert "app/core/status.pyc" in names and "app/core/status.py" not in names
    assert "app/main.pyc" not in names  # PyScript runs main.py from its own asset
    assert "shared_types/parse.pyc" in names
    assert "jinja2/__init__.pyc" in names and "jinja2/sandbox.pyc" not in names
    assert not any(n.endswith(".py") or n.endswith(".html") for n in names)
    compiled = [n for n in names if n.startswith(build.COMPILED_TEMPLATES + "/")]
    assert len(compiled) == len(list((build.ROOT / "app" / "templates").glob("*.html")))
    assert "app/locales/fr/LC_MESSAGES/messages.mo" in names
    assert not any(n.endswith(".so") for n in names)  # markupsafe's speedups stay out
    assert "app/core/formats.json" in names  # CLDR patterns, taken from Babel at build time
    assert not any(n.startswith("babel/") for n in names)  # Babel itself stays at build time


def test_archive_bytecode_is_for_the_pages_python(dist):
    """The .pyc magic is the Pyodide CPython's (3.14), not the build machine's."""
    archive = zipfile.ZipFile(next((dist / "assets").glob("app-*.zip")))
    magic = archive.read("app/core/status.pyc")[:4]
    lock = json.loads((build.NODE_MODULES / "pyodide" / "pyodide-lock.json").read_text())
    assert lock["info"]["python"].startswith("3.14.")
    # CPython numbers its 3.14 bytecode formats 3600-3699 (importlib._bootstrap_external).
    assert magic[2:] == b"\r\n" and 3600 <= int.from_bytes(magic[:2], "little") <= 3699


def test_compiled_templates_render_what_the_sources_render(tmp_path):
    compiled_dir = tmp_path / "compiled"
    compiled_dir.mkdir()
    build.compile_templates(compiled_dir)
    catalogs = tmp_path / "catalogs"
    build.compile_catalogs(build.ROOT / "locales", catalogs)
    german = load_translations("de", catalogs)
    from_sources = Renderer("de", german)
    from_modules = Renderer("de", german, compiled=compiled_dir)
    view = build_page_view(
        sample_fleet(NOW),
        now_ms=NOW,
        source="live",
        updated_ms=NOW,
        poll_interval_ms=15_000,
        table=SHARD_STATE_TABLES["discordjs"],
        fmt=LocaleFormat("de"),
    )
    assert from_modules.banner(view) == from_sources.banner(view)
    for cluster in view.clusters:
        assert from_modules.cluster_card(cluster) == from_sources.cluster_card(cluster)
    assert "Cluster 0" in from_modules.cluster_card(view.clusters[0])  # German: same word


def test_same_sources_give_the_same_archive_name(catalog_dir):
    first = build.build_archive(catalog_dir)
    second = build.build_archive(catalog_dir)
    assert len(first) > 100_000
    assert build.content_hash(first) == build.content_hash(second)


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--api-url", "http://a; script-src *"], "api_url must be"),
        (["--api-url", "http://"], "needs a host"),
        (["--ws-url", "https://x.test/?q=1"], "ws_url must be"),
        (["--ws-url", "http://x.test:99999"], "bad port"),
        (["--token-path", "token"], "token_path"),
        (["--token-path", "/t'oken"], "token_path"),
        (["--poll-seconds", "0"], "poll_seconds"),
        (["--poll-seconds", "nan"], "finite"),
    ],
)
def test_unsafe_or_bad_options_are_refused_with_a_message(tmp_path, argv, words):
    with pytest.raises(SystemExit, match=words):
        build.main([*argv, "--out", str(tmp_path / "dist")])
    assert not (tmp_path / "dist").exists()


def test_bad_environment_values_get_a_message_not_a_traceback(monkeypatch, capsys):
    monkeypatch.setenv("STATUS_POLL_SECONDS", "abc")
    with pytest.raises(SystemExit):
        build.parse_args([])
    assert "invalid float value: 'abc'" in capsys.readouterr().err
    monkeypatch.delenv("STATUS_POLL_SECONDS")
    monkeypatch.setenv("STATUS_ACK_TIMEOUT_SECONDS", "")  # empty means unset
    assert build.parse_args([]).ack_timeout_seconds == 10
    monkeypatch.setenv("STATUS_MOCK_FALLBACK", "maybe")
    with pytest.raises(SystemExit, match="STATUS_MOCK_FALLBACK must be one of"):
        build.parse_args([])


def test_out_replaces_only_an_earlier_build(tmp_path):
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    with pytest.raises(SystemExit, match="not an earlier build"):
        build.main(["--out", str(precious)])
    assert (precious / "notes.txt").read_text() == "keep me"
    with pytest.raises(SystemExit, match="refusing"):
        build.main(["--out", str(build.ROOT / "app")])
    assert (build.ROOT / "app" / "main.py").exists()
    target = tmp_path / "dist"
    build.main(["--out", str(target)])
    (target / "stale-file").write_text("x")
    build.main(["--out", str(target)])  # an earlier build is replaced whole
    assert not (target / "stale-file").exists() and (target / "index.html").exists()


def test_a_failed_build_leaves_the_earlier_one_and_says_why(tmp_path, monkeypatch):
    target = tmp_path / "dist"
    build.main(["--out", str(target)])
    before = sorted(p.relative_to(target) for p in target.rglob("*"))
    monkeypatch.setattr(build, "PYC_CACHE", tmp_path / "empty-cache")  # forces Node
    monkeypatch.setenv("PATH", str(tmp_path / "no-node-here"))
    with pytest.raises(SystemExit, match="needs Node.js"):
        build.main(["--out", str(target)])
    assert sorted(p.relative_to(target) for p in target.rglob("*")) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging


def test_out_refuses_files_and_folders_that_get_packed(tmp_path):
    a_file = tmp_path / "afile"
    a_file.write_text("x")
    with pytest.raises(SystemExit, match="is not a folder"):
        build.main(["--out", str(a_file)])
    with pytest.raises(SystemExit, match="packed into the build"):
        build.main(["--out", str(build.ROOT / "app" / "x")])
    assert not (build.ROOT / "app" / "x").exists()
    with pytest.raises(SystemExit, match="cannot write next to"):
        build.main(["--out", str(a_file / "below")])


def test_bench_floor_is_the_same_runtime_running_nothing_of_ours(tmp_path):
    plain = tmp_path / "plain"
    build.main(["--out", str(plain)])
    assert not (plain / "bench-floor").exists()  # only when asked for
    target = tmp_path / "dist"
    build.main(["--out", str(target), "--bench-floor"])
    floor = (target / "bench-floor" / "index.html").read_text()
    page = (target / "index.html").read_text()
    for runtime in re.findall(r'href="(/runtime/pyodide-[^"]+)"', page):
        assert runtime in floor  # the same Pyodide files and hints
    assert re.search(r'src="(/runtime/pyscript-[^"]+/core.js)"', floor)
    assert "app-" not in floor and "socket.io" not in floor  # no archive, no socket
    main = re.search(r'type="py" src="(/assets/floor-[0-9a-f]+\.py)"', floor).group(1)
    assert (target / main.lstrip("/")).read_bytes() == build.FLOOR_MAIN
    rules = parse_headers_file((target / "_headers").read_text())
    assert headers_for(rules, "/bench-floor/")["Cache-Control"] == "no-cache"  # as pages
