"""A cell's printed output once: the instructors' build merged each cell's streams into its first one in place.

myst-nb (nb_merge_streams) appends every later stream of a name (stdout, stderr) to the first, on the notebook it
then saves in _build/jupyter_execute/, where the later streams stay too; rendered again, their text would show
twice. The first stream holds all of it, so the later ones go.
"""


def merged(notebook):
    """The notebook (nbformat dict) with each code cell's streams of one name reduced to its first; returned."""
    for cell in notebook["cells"]:
        seen = set()
        kept = []
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream" and output["name"] in seen:
                continue
            seen.add(output.get("name"))
            kept.append(output)
        if cell["cell_type"] == "code":
            cell["outputs"] = kept
    return notebook
