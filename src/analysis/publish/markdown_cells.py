"""On the page, a notebook cell that displays Markdown is a Markdown cell.

The notebook's section headings are words, so they come from the wording catalogue: a code
cell displays them (`display(Markdown(html.section_markdown(...)))`) instead of a Markdown
cell spelling them. nbconvert sets a code cell's output apart from a Markdown cell's text
(another box, another anchor), so before the page is written the export turns each such cell,
tagged `as-markdown`, back into the Markdown cell it stands for, with its id: the page is the
one a Markdown cell with these words gives. The report template names this preprocessor in
its `conf.json`, so the plain `jupyter nbconvert --template report` command does it too.
"""

from __future__ import annotations

import nbformat
from nbconvert.preprocessors import Preprocessor

TAG = "as-markdown"
MARKDOWN = "text/markdown"


def displayed_markdown(cell: nbformat.NotebookNode) -> list[str]:
    """The Markdown a code cell displayed, in order."""
    return [
        o["data"][MARKDOWN]
        for o in cell.get("outputs", [])
        if o.get("output_type") == "display_data" and MARKDOWN in o.get("data", {})
    ]


def as_markdown_cell(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A tagged code cell as the Markdown cell of what it displayed; any other cell unchanged."""
    shown = displayed_markdown(cell)
    if cell.cell_type != "code" or TAG not in cell.metadata.get("tags", []) or not shown:
        return cell
    tags = [t for t in cell.metadata["tags"] if t != TAG]
    metadata = {k: v for k, v in cell.metadata.items() if k != "tags"} | ({"tags": tags} if tags else {})
    return nbformat.v4.new_markdown_cell("\n\n".join(shown), id=cell.get("id"), metadata=metadata)


class MarkdownOutputs(Preprocessor):
    """nbconvert's hook: every cell through `as_markdown_cell`."""

    def preprocess_cell(self, cell, resources, index):
        return as_markdown_cell(cell), resources
