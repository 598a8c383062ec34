"""spaCy for Workbench: its data files and submodules, without its test suite.

Replaces the contrib hook (which collects ``spacy.tests`` too, only for the spec to
exclude it again with hundreds of warnings).
"""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

datas = collect_data_files("spacy", excludes=["**/tests/**"])
hiddenimports = collect_submodules("spacy", filter=lambda name: ".tests" not in name)
