"""Ships labtrail's prebuilt JupyterLab extension (header markers, run verdicts, design-doc export)."""

__version__ = "0.1.0"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "labtrail-jupyterlab"}]
