"""py3langid for Workbench: its language model (4.4 MB), read when a document's language
is not plain English (workbench.core.text.detect_language)."""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("py3langid", includes=["data/*"])
