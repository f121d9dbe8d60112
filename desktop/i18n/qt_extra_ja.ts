<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Qt's own strings that the qtbase_ja catalogue shipped with PySide6 does not translate
     (Qt 6 added mnemonics to these labels; the catalogue still has the old texts).
     Loaded after qtbase_ja for the Japanese UI; compiled by scripts/update_translations.py. -->
<TS version="2.1" language="ja_JP" sourcelanguage="en_US">
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>場所(&amp;L):</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>ファイルの種類(&amp;T):</translation>
    </message>
</context>
</TS>
