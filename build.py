"""Build dist/: prerendered pages per locale, the app archive, the vendored runtime.

    python build.py --out dist [--api-url URL] [--ws-url URL] [--token-path PATH]
                    [--poll-seconds N] [--ack-timeout-seconds N] [--backoff-base-seconds N]
                    [--backoff-cap-seconds N] [--no-mock-fallback] [--shard-states discordjs]

Every option can also come from the environment (STATUS_OUT, STATUS_API_URL,
STATUS_WS_URL, STATUS_TOKEN_PATH, STATUS_POLL_SECONDS, STATUS_ACK_TIMEOUT_SECONDS,
STATUS_BACKOFF_BASE_SECONDS, STATUS_BACKOFF_CAP_SECONDS, STATUS_MOCK_FALLBACK=0|1,
STATUS_SHARD_STATES, STATUS_TOTAL_SHARDS); a flag wins over the environment.
"""

from __future__ import annotations

import argparse
import gettext
import hashlib
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from app.core.config import RuntimeConfig  # noqa: E402
from app.core.formatting import SUPPORTED_LOCALES, LocaleFormat  # noqa: E402
from app.core.i18n import DOMAIN, load_translations  # noqa: E402
from app.core.render import COMPILED_TEMPLATES_DIR, Renderer, make_environment  # noqa: E402
from app.core.shard_states import SHARD_STATE_TABLES  # noqa: E402
from app.core.view import build_page_view  # noqa: E402

LOCALE_NAMES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}
NODE_MODULES = ROOT / "node_modules"
# A fixed timestamp for archive members: the same sources give the same archive name.
ZIP_EPOCH = (2020, 1, 1, 0, 0, 0)


# -- options --------------------------------------------------------------------------------
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value not in _TRUE + _FALSE:
        raise SystemExit(f"build: {name} must be one of {', '.join(_TRUE + _FALSE)}: {value!r}")
    return value in _TRUE


def parse_args(argv=None) -> argparse.Namespace:
    # String defaults from the environment go through `type` like typed flags do, so a
    # bad STATUS_POLL_SECONDS gets argparse's message, not a traceback.
    def env(name: str, default) -> str:
        return os.environ.get(name) or str(default)

    defaults = RuntimeConfig()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=env("STATUS_OUT", "dist"),
        help="output folder, replaced if it holds an earlier build",
    )
    parser.add_argument(
        "--api-url",
        default=env("STATUS_API_URL", defaults.api_url),
        help="origin (and path) of the token API",
    )
    parser.add_argument(
        "--ws-url", default=env("STATUS_WS_URL", defaults.ws_url), help="Socket.IO server URL"
    )
    parser.add_argument(
        "--token-path",
        default=env("STATUS_TOKEN_PATH", defaults.token_path),
        help="path of the token endpoint on the API",
    )
    parser.add_argument(
        "--poll-seconds",
        type=float,
        default=env("STATUS_POLL_SECONDS", defaults.poll_seconds),
        help="refresh interval while the tab is visible",
    )
    parser.add_argument(
        "--ack-timeout-seconds",
        type=float,
        default=env("STATUS_ACK_TIMEOUT_SECONDS", defaults.ack_timeout_seconds),
        help="how long to wait for an acknowledgement",
    )
    parser.add_argument(
        "--backoff-base-seconds",
        type=float,
        default=env("STATUS_BACKOFF_BASE_SECONDS", defaults.backoff_base_seconds),
        help="first reconnect window (full jitter, doubling each try)",
    )
    parser.add_argument(
        "--backoff-cap-seconds",
        type=float,
        default=env("STATUS_BACKOFF_CAP_SECONDS", defaults.backoff_cap_seconds),
        help="largest reconnect window",
    )
    parser.add_argument(
        "--total-shards",
        type=int,
        default=os.environ.get("STATUS_TOTAL_SHARDS") or None,
        help="the bot's shard count for the guild lookup (default: from the shard lists)",
    )
    parser.add_argument(
        "--shard-states",
        choices=sorted(SHARD_STATE_TABLES),
        default=env("STATUS_SHARD_STATES", defaults.shard_states),
        help="which numbering the backend's shard states use",
    )
    parser.add_argument(
        "--mock-fallback",
        action=argparse.BooleanOptionalAction,
        default=_env_bool("STATUS_MOCK_FALLBACK", defaults.mock_fallback),
        help="show the labelled sample fleet when the token endpoint fails (default: on)",
    )
    parser.add_argument(
        "--bench-floor",
        action=argparse.BooleanOptionalAction,
        default=_env_bool("STATUS_BENCH_FLOOR", False),
        help="also write /bench-floor/: the same runtime running nothing of ours (bench/)",
    )
    return parser.parse_args(argv)


def runtime_config(args: argparse.Namespace) -> RuntimeConfig:
    return RuntimeConfig(
        api_url=args.api_url,
        ws_url=args.ws_url,
        token_path=args.token_path,
        poll_seconds=args.poll_seconds,
        ack_timeout_seconds=args.ack_timeout_seconds,
        backoff_base_seconds=args.backoff_base_seconds,
        backoff_cap_seconds=args.backoff_cap_seconds,
        mock_fallback=args.mock_fallback,
        shard_states=args.shard_states,
        total_shards=args.total_shards,
    )


# -- helpers --------------------------------------------------------------------------------
def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def write_hashed(out: Path, rel_dir: str, stem: str, suffix: str, data: bytes) -> str:
    """Write ``<rel_dir>/<stem>-<hash><suffix>`` and return its URL path."""
    name = f"{stem}-{content_hash(data)}{suffix}"
    target = out / rel_dir / name if rel_dir else out / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return "/" + target.relative_to(out).as_posix()


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"build: package {name!r} is not installed (run `make setup`)")
    return Path(next(iter(spec.submodule_search_locations)))


def npm_version(package: str) -> str:
    manifest = NODE_MODULES / package / "package.json"
    if not manifest.exists():
        raise SystemExit(f"build: {manifest} is missing (run `make setup`)")
    return json.loads(manifest.read_text())["version"]


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# -- catalogs -------------------------------------------------------------------------------
def compile_catalogs(src: Path, dst: Path) -> None:
    """Compile locales/<lang>/LC_MESSAGES/messages.po into .mo files under ``dst``."""
    for locale in SUPPORTED_LOCALES:
        po_path = src / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        mo_path = dst / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog)


# -- the app archive ------------------------------------------------------------------------
def _archive_members(catalog_dir: Path):
    """(path inside the archive, file on disk) for everything the browser imports."""
    skip_dirs = {"__pycache__"}

    def walk(base: Path, prefix: str, keep=lambda rel: True):
        for path in sorted(base.rglob("*")):
            rel = path.relative_to(base)
            if path.is_dir() or skip_dirs & set(rel.parts) or not keep(rel):
                continue
            yield f"{prefix}/{rel.as_posix()}", path

    # No Babel: its CLDR data reaches the browser as app/core/formats.json (cldr_formats.py).
    # main.py is not imported: PyScript runs it from its own hashed asset.
    yield from walk(
        ROOT / "app",
        "app",
        lambda rel: rel.suffix in (".py", ".html", ".json") and rel != Path("main.py"),
    )
    yield from walk(catalog_dir, "app/locales", lambda rel: rel.suffix == ".mo")
    yield from walk(
        ROOT / "shared_types", "shared_types", lambda rel: rel.suffix in (".py", ".json")
    )
    # Jinja2 without the modules nothing here imports (sandbox, native types, meta).
    yield from walk(
        package_dir("jinja2"),
        "jinja2",
        lambda rel: rel.suffix == ".py" and rel.stem not in ("sandbox", "nativetypes", "meta"),
    )
    # markupsafe without its compiled speedups: it falls back to its pure-Python module.
    yield from walk(package_dir("markupsafe"), "markupsafe", lambda rel: rel.suffix == ".py")


PYC_CACHE = ROOT / ".cache" / "pyc"
# Where app.core.render loads the compiled templates from in the browser.
COMPILED_TEMPLATES = COMPILED_TEMPLATES_DIR.relative_to(ROOT).as_posix()


def compile_templates(target: Path) -> list[tuple[str, Path]]:
    """Jinja2 templates as Python modules (``tmpl_<sha1>.py``): the browser imports them
    instead of lexing, parsing and compiling templates at start."""
    env = make_environment(gettext.NullTranslations())  # catalogs are looked up at render
    env.compile_templates(str(target), zip=None, ignore_errors=False)
    return [(f"{COMPILED_TEMPLATES}/{p.name}", p) for p in sorted(target.glob("*.py"))]


def compile_pyc(sources: list[tuple[str, Path]]) -> dict[str, bytes]:
    """arcname of each .py -> its .pyc from the page's own Pyodide under Node, cached by
    source hash: a build with nothing changed starts no Node at all."""
    version = npm_version("pyodide") + (ROOT / "build_pyc.mjs").read_text()
    cached, missing = {}, []
    for arcname, path in sources:
        key = hashlib.sha256(f"{version}\0{arcname}\0".encode() + path.read_bytes()).hexdigest()
        pyc = PYC_CACHE / f"{key}.pyc"
        if pyc.exists():
            cached[arcname] = pyc.read_bytes()
        else:
            missing.append((arcname, path, pyc))
    if missing:
        PYC_CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="status-pyc-") as scratch:
            manifest = Path(scratch) / "manifest.json"
            files = [[str(p), str(out), f"/home/pyodide/{a}"] for a, p, out in missing]
            manifest.write_text(json.dumps({"files": files}))
            try:
                done = subprocess.run(
                    ["node", str(ROOT / "build_pyc.mjs"), str(manifest)],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                )
            except FileNotFoundError:
                raise ValueError(
                    "compiling .pyc needs Node.js (`node` on PATH) and `make setup`"
                ) from None
            if done.returncode != 0:
                raise ValueError(f"compiling .pyc under Node failed:\n{done.stderr[-2000:]}")
        for arcname, _path, pyc in missing:
            cached[arcname] = pyc.read_bytes()
    return cached


def build_archive(catalog_dir: Path) -> bytes:
    """Everything the browser imports, as bytecode: Python sources become .pyc compiled by
    the page's own Pyodide (sourceless imports; tracebacks keep file and line)."""
    with tempfile.TemporaryDirectory(prefix="status-templates-") as scratch:
        members = [*_archive_members(catalog_dir), *compile_templates(Path(scratch))]
        pycs = compile_pyc([(a, p) for a, p in members if a.endswith(".py")])
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for arcname, path in members:
                data = path.read_bytes()
                if arcname in pycs:
                    arcname, data = arcname[:-3] + ".pyc", pycs[arcname]
                elif arcname.startswith("app/templates/"):
                    continue  # compiled above
                info = zipfile.ZipInfo(arcname, date_time=ZIP_EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, data)
    return buffer.getvalue()


# -- runtime --------------------------------------------------------------------------------
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)


def copy_runtime(out: Path) -> dict[str, str]:
    """Copy the pinned npm runtime into versioned folders; return URL paths."""
    pyodide_v, pyscript_v, sio_v = (
        npm_version("pyodide"),
        npm_version("@pyscript/core"),
        npm_version("socket.io-client"),
    )
    pyodide_dir = out / "runtime" / f"pyodide-{pyodide_v}"
    pyodide_dir.mkdir(parents=True)
    for name in PYODIDE_FILES:
        shutil.copy2(NODE_MODULES / "pyodide" / name, pyodide_dir / name)
    pyscript_dir = out / "runtime" / f"pyscript-{pyscript_v}"
    pyscript_dir.mkdir(parents=True)
    for path in (NODE_MODULES / "@pyscript" / "core" / "dist").iterdir():
        if path.suffix in (".js", ".css"):
            shutil.copy2(path, pyscript_dir / path.name)
    sio_name = f"socket.io-{sio_v}.min.js"
    shutil.copy2(
        NODE_MODULES / "socket.io-client" / "dist" / "socket.io.min.js", out / "runtime" / sio_name
    )
    base = f"/runtime/pyodide-{pyodide_v}"
    return {
        "pyodide_mjs": f"{base}/pyodide.mjs",
        "pyodide_wasm": f"{base}/pyodide.asm.wasm",
        "python_stdlib": f"{base}/python_stdlib.zip",
        "pyscript_core": f"/runtime/pyscript-{pyscript_v}/core.js",
        "socketio": f"/runtime/{sio_name}",
    }


IMMUTABLE = "public, max-age=31536000, immutable"


# -- headers --------------------------------------------------------------------------------
def content_security_policy(config: RuntimeConfig) -> str:
    api, ws = origin_of(config.api_url), origin_of(config.ws_url)
    ws_socket = ws.replace("https://", "wss://").replace("http://", "ws://")
    connect = " ".join(dict.fromkeys(["'self'", api, ws, ws_socket]))
    return "; ".join(
        [
            "default-src 'none'",
            # 'unsafe-eval': PyScript builds a Function at start-up, and Pyodide compiles
            # WebAssembly; without it the runtime cannot boot. Nothing inline runs.
            "script-src 'self' 'unsafe-eval'",
            "style-src 'self'",
            "img-src 'self' data:",  # data: for the canvas-drawn favicon
            "font-src 'self'",
            f"connect-src {connect}",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
            "object-src 'none'",
        ]
    )


def headers_file(config: RuntimeConfig, bench_floor: bool = False) -> str:
    # Each path gets exactly one Cache-Control: Cloudflare joins a header that several
    # matching rules set ("no-cache, public, ..."), and "! Name" does not undo it within
    # the same file. Pages revalidate; versioned runtime and content-hashed assets are
    # kept for a year. npm tarballs carry 1985 mtimes: nothing is left to heuristics.
    lines = [
        "/*",
        f"  Content-Security-Policy: {content_security_policy(config)}",
        "  X-Content-Type-Options: nosniff",
        "  Referrer-Policy: no-referrer",
        "  X-Frame-Options: DENY",
        "  Permissions-Policy: camera=(), microphone=(), geolocation=()",
    ]
    floor = [FLOOR_PATH, f"{FLOOR_PATH}index.html"] if bench_floor else []
    for page in html_paths() + floor:
        lines += [page, "  Cache-Control: no-cache"]
    for folder in ("/runtime/*", "/assets/*"):
        lines += [folder, f"  Cache-Control: {IMMUTABLE}"]
    return "\n".join(lines) + "\n"


# -- pages ----------------------------------------------------------------------------------
def locale_href(locale: str) -> str:
    return "/" if locale == "en" else f"/{locale}/"


def html_paths() -> list[str]:
    """Every URL path that answers with one of our HTML documents."""
    paths = ["/404.html"]
    for locale in SUPPORTED_LOCALES:
        href = locale_href(locale)
        paths += [href, f"{href}index.html"]
    return paths


def render_pages(out: Path, config: RuntimeConfig, assets: dict, catalog_dir: Path) -> None:
    table = SHARD_STATE_TABLES[config.shard_states]
    locales = [
        {"code": c, "name": LOCALE_NAMES[c], "href": locale_href(c)} for c in SUPPORTED_LOCALES
    ]
    for locale in SUPPORTED_LOCALES:
        translations = load_translations(locale, catalog_dir)
        renderer = Renderer(locale, translations, search_path=(ROOT, ROOT / "app" / "templates"))
        view = build_page_view(
            None,
            now_ms=0,
            source="connecting",
            updated_ms=None,
            poll_interval_ms=config.poll_interval_ms,
            table=table,
            fmt=LocaleFormat(locale),
        )
        context = dict(
            locale=locale,
            locales=locales,
            view=view,
            assets=assets,
            runtime_config=config.to_mapping(),
            skeleton_cards=4,
            title=renderer.document_title("checking"),
        )
        target = out / locale_href(locale).lstrip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(renderer.page("index.html", **context), encoding="utf-8")
        if locale == "en":
            (out / "404.html").write_text(
                renderer.page("404.html", locale=locale, locales=locales, assets=assets),
                encoding="utf-8",
            )


def _looks_like_a_build(folder: Path) -> bool:
    return all((folder / name).exists() for name in ("_headers", "index.html", "runtime"))


ARCHIVED_SOURCES = ("app", "shared_types", "node_modules")  # a build inside is packed


def build(args: argparse.Namespace) -> Path:
    """Build into a staging folder beside ``--out`` and swap it in at the end: a build
    that fails part-way leaves the previous one as it was."""
    config = runtime_config(args)
    out: Path = args.out.resolve()
    if out == ROOT or out in ROOT.parents:
        raise ValueError(f"refusing to replace {out}: it holds this checkout")
    if any(out.is_relative_to(ROOT / name) for name in ARCHIVED_SOURCES):
        raise ValueError(f"refusing to build into {out}: that folder is packed into the build")
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out} is not a folder")
    if out.exists() and any(out.iterdir()) and not _looks_like_a_build(out):
        raise ValueError(f"refusing to replace {out}: it is not empty and not an earlier build")
    staging = out.parent / f".{out.name}.building-{os.getpid()}"
    try:
        staging.mkdir(parents=True)
    except OSError as exc:
        raise ValueError(f"cannot write next to --out {out}: {exc.strerror}") from None
    try:
        with tempfile.TemporaryDirectory(prefix="status-catalogs-") as scratch:
            catalog_dir = Path(scratch)
            compile_catalogs(ROOT / "locales", catalog_dir)
            _write_site(staging, config, catalog_dir, bench_floor=args.bench_floor)
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out


def _write_site(
    out: Path, config: RuntimeConfig, catalog_dir: Path, bench_floor: bool = False
) -> None:
    assets = copy_runtime(out)
    assets["app_archive"] = write_hashed(out, "assets", "app", ".zip", build_archive(catalog_dir))
    assets["css"] = write_hashed(
        out, "assets", "style", ".css", (ROOT / "static" / "style.css").read_bytes()
    )
    assets["theme_js"] = write_hashed(
        out, "assets", "theme", ".js", (ROOT / "static" / "theme.js").read_bytes()
    )
    assets["patch_js"] = write_hashed(
        out, "assets", "patch", ".js", (ROOT / "static" / "patch.js").read_bytes()
    )
    assets["favicon"] = write_hashed(
        out, "assets", "favicon", ".svg", (ROOT / "static" / "favicon.svg").read_bytes()
    )
    assets["main_py"] = write_hashed(
        out, "assets", "main", ".py", (ROOT / "app" / "main.py").read_bytes()
    )
    # PyScript's config, inline in the page: one request fewer before Python starts.
    assets["pyscript_config"] = json.dumps(
        {"interpreter": assets["pyodide_mjs"], "files": {assets["app_archive"]: "./*"}},
        separators=(",", ":"),
    )
    render_pages(out, config, assets, catalog_dir)
    if bench_floor:
        write_bench_floor(out, assets)
    (out / "_headers").write_text(headers_file(config, bench_floor))


FLOOR_PATH = "/bench-floor/"
FLOOR_MAIN = b'import js\n\njs.performance.mark("status:python-start")\n'


def write_bench_floor(out: Path, assets: dict) -> None:
    """The runtime's own floor for bench/page_speed.py: the same Pyodide through the same
    PyScript with the same hints, running one line, so our overhead is measured beside it."""
    floor = dict(assets)
    floor["main_py"] = write_hashed(out, "assets", "floor", ".py", FLOOR_MAIN)
    floor["pyscript_config"] = json.dumps({"interpreter": assets["pyodide_mjs"]})
    renderer = Renderer(
        "en",
        gettext.NullTranslations(),  # the floor page has no translated text
        search_path=(ROOT / "bench", ROOT / "app" / "templates"),
    )
    target = out / FLOOR_PATH.strip("/") / "index.html"
    target.parent.mkdir()
    target.write_text(renderer.page("floor.html", assets=floor), encoding="utf-8")


def main(argv=None) -> None:
    args = parse_args(argv)
    try:
        out = build(args)
    except ValueError as exc:  # a bad option value: say which, no traceback
        raise SystemExit(f"build: {exc}") from exc
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"build: wrote {out} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
