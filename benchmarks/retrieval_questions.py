"""Questions a caller might ask about Python, with the pages of the Python 3.11 docs that
answer them (any one of them counts as a hit). Used by benchmarks/retrieval_eval.py."""

from __future__ import annotations

QUESTIONS: list[tuple[str, tuple[str, ...]]] = [
    ("how do I read a file line by line", ("tutorial/inputoutput.html",)),
    ("how can I sort a list of dictionaries by a key", ("howto/sorting.html",)),
    ("how do I create a virtual environment", ("tutorial/venv.html", "library/venv.html")),
    ("how do I parse command line arguments", ("library/argparse.html", "howto/argparse.html")),
    (
        "how do I open a URL and download a web page",
        ("library/urllib.request.html", "howto/urllib2.html"),
    ),
    ("how do I work with dates and times", ("library/datetime.html",)),
    ("how do I read and write JSON", ("library/json.html",)),
    ("how do I use regular expressions to match text", ("library/re.html", "howto/regex.html")),
    ("how do I run a shell command from my program", ("library/subprocess.html",)),
    (
        "how do I log messages to a file",
        ("howto/logging.html", "library/logging.html", "howto/logging-cookbook.html"),
    ),
    ("how do I create a temporary file", ("library/tempfile.html",)),
    ("how do I handle exceptions and errors", ("tutorial/errors.html",)),
    ("what are list comprehensions", ("tutorial/datastructures.html", "howto/functional.html")),
    ("how do I define a class with methods", ("tutorial/classes.html",)),
    ("how do I write unit tests", ("library/unittest.html",)),
    ("how do I generate random numbers", ("library/random.html",)),
    ("how can I copy a whole directory tree", ("library/shutil.html",)),
    ("how do I join and split file system paths", ("library/pathlib.html", "library/os.path.html")),
    (
        "how do I run code in parallel threads",
        ("library/threading.html", "library/concurrent.futures.html"),
    ),
    (
        "how do I use async and await with coroutines",
        ("library/asyncio-task.html", "library/asyncio.html"),
    ),
    ("how do I read a CSV spreadsheet file", ("library/csv.html",)),
    ("how do I store data in a sqlite database", ("library/sqlite3.html",)),
    (
        "how do I format numbers inside strings",
        ("tutorial/inputoutput.html", "library/string.html"),
    ),
    (
        "how can I measure how long my code takes to run",
        ("library/timeit.html", "library/time.html"),
    ),
    ("how do I compress files into a zip archive", ("library/zipfile.html",)),
    ("how do I save objects to disk with pickle", ("library/pickle.html",)),
    ("how do I install third party packages", ("installing/index.html",)),
    ("how can I count how many times each item appears", ("library/collections.html",)),
    ("how do I make a deep copy of an object", ("library/copy.html",)),
    ("how do I read environment variables", ("library/os.html",)),
    ("how do I send an email message", ("library/smtplib.html", "library/email.examples.html")),
    (
        "how do context managers and the with statement work",
        ("library/contextlib.html", "reference/compound_stmts.html", "reference/datamodel.html"),
    ),
    ("how do I add type hints to a function", ("library/typing.html",)),
    ("how do I compute a SHA256 hash", ("library/hashlib.html",)),
]
