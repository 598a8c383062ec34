"""jieba for Workbench: the dictionary and the HMM tables for unknown words, nothing else.

Replaces the contrib hook, which collects all of jieba's data (38 MB). Workbench uses
only ``jieba.Tokenizer`` (Chinese word segmentation for the index): it reads
``dict.txt`` (4.9 MB) and ``finalseg/*.p``; keyword extraction (``analyse/idf.txt``),
part-of-speech tagging (``posseg``) and the paddle model (``lac_small``) are never used.
"""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("jieba", includes=["dict.txt", "finalseg/*.p"])
excludedimports = ["jieba.analyse", "jieba.posseg", "jieba.lac_small", "paddle"]
