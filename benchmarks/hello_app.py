"""The bare Flask "hello world" that benchmarks/http_bench.py measures dpup against (same gunicorn)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
