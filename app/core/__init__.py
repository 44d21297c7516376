"""Pure-Python core of the status page: no js, pyodide or pyscript imports here.

CPython tests drive all of it directly; the browser layer (app.browser) only adapts.
"""
