"""pycountry for Workbench: its ISO databases and metadata, without the 22 MB of translations.

Replaces the contrib hook. The app shows country names in English only; pycountry reads
``locales/`` only when asked for a translation (gettext), which Workbench never does.
"""

from PyInstaller.utils.hooks import collect_data_files, copy_metadata

datas = copy_metadata("pycountry") + collect_data_files("pycountry", includes=["databases/*.json"])
