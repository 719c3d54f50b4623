"""The HTML of the grader's pages (feedback, the class report, the similarity pages): one style, escaped tables."""

import html

STYLE = """<style>
body { font-family: sans-serif; max-width: 60em; margin: 2em auto; color: #222; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #ccc; padding: .3em .5em; }
td.message { white-space: pre-wrap; font-family: monospace; font-size: .9em; }
.ok { color: #176f2c; } .failed, .error, .timeout, .crashed, .invalid { color: #b00020; } .tampered { color: #a05a00; }
</style>"""


def page(title, body):
    """A whole HTML page: title (plain text) as its title and heading, then body (HTML)."""
    return (
        f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{html.escape(title)}</title>{STYLE}</head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>\n"
    )


def table(headers, rows, message_column=None):
    """An HTML table of rows (sequences of values, escaped) under headers; a "status" column is colored by value
    and the message_column (an index, or None) keeps its line breaks."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    lines = []
    for cells in rows:
        tds = []
        for i, value in enumerate(cells):
            css = " class='message'" if i == message_column else ""
            if headers[i] == "status":
                css = f" class='{html.escape(str(value))}'"
            tds.append(f"<td{css}>{html.escape(str(value))}</td>")
        lines.append(f"<tr>{''.join(tds)}</tr>")
    return f"<table><tr>{head}</tr>{''.join(lines)}</table>"
