"""Jupyter server settings for the UI tests only.

Never use this configuration for anything else: it turns off authentication and XSRF checks and
exposes the app as window.jupyterapp, as Galata needs.
"""
import os

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821
c.ServerApp.ip = "127.0.0.1"  # noqa: F821
c.ServerApp.port = int(os.environ.get("LABTRAIL_UI_PORT", "8888"))  # noqa: F821
# Containers and CI machines often run as root.
c.ServerApp.allow_root = True  # noqa: F821
# Jupyter Notebook 7 on the same server (/tree, /notebooks/…): window.jupyterapp there too.
c.JupyterNotebookApp.expose_app_in_browser = True  # noqa: F821
