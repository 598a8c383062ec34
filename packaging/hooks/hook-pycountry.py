"""pycountry for Workbench: the two ISO 3166 databases and metadata, nothing else.

Replaces the contrib hook. The app shows country names in English only; pycountry reads
``locales/`` (22 MB) only when asked for a translation (gettext), which Workbench never
does. It loads each database on first use, and the entity resolver uses only countries
(ISO 3166-1) and subdivisions (ISO 3166-2): languages, scripts and currencies (0.9 MB)
stay out.
"""

from PyInstaller.utils.hooks import collect_data_files, copy_metadata

datas = copy_metadata("pycountry") + collect_data_files(
    "pycountry", includes=["databases/iso3166-1.json", "databases/iso3166-2.json"]
)
