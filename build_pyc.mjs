// Compiles Python sources to .pyc with the very Pyodide the page runs (its CPython), so
// the browser imports bytecode instead of compiling our code, Jinja2 and the templates.
// build.py runs it (and caches the results by source hash):
//   node build_pyc.mjs <manifest.json>
//   manifest: {"files": [[source path, .pyc path, file name recorded in the code], ...]}
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { loadPyodide } from "./node_modules/pyodide/pyodide.mjs";

const { files } = JSON.parse(readFileSync(process.argv[2], "utf8"));
// No column ranges in the code objects (tracebacks keep lines): a third smaller.
const pyodide = await loadPyodide({ env: { PYTHONNODEBUGRANGES: "1" } });
pyodide.FS.mkdirTree("/compile");
files.forEach(([source], i) => pyodide.FS.writeFile(`/compile/${i}.py`, readFileSync(source)));
pyodide.globals.set("recorded_names", pyodide.toPy(files.map((f) => f[2])));
try {
  pyodide.runPython(`
import py_compile

for i, name in enumerate(recorded_names):
    py_compile.compile(
        f"/compile/{i}.py",
        cfile=f"/compile/{i}.pyc",
        dfile=name,
        doraise=True,
        optimize=2,  # as python -OO: no docstrings or asserts to download (none are read)
        # no timestamps: the same source gives the same bytes, so the archive's hash holds
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
    )
`);
} catch (error) {
  console.error(String(error.message ?? error)); // not Node's dump of the minified source
  process.exit(1);
}
files.forEach(([, target], i) => {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, pyodide.FS.readFile(`/compile/${i}.pyc`));
});
