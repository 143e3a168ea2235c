"""language: how UN Chinese is written and read, shared by ingest, the engines and the query language.

    normalize.py  NFKC (full width -> half width), traditional -> simplified, lower case, with an
                  offset map back to the original; compact (PDF line joins); jieba segmentation with
                  symbols kept whole and a user dictionary of UN terms (data/userdict.txt)
    symbols.py    document symbols (S/2020/751, A/RES/58/316, 第 2532(2020)号决议) found and normalised
    doctypes.py   document types, their Chinese and English aliases, and how to infer them
    genres.py     the line that names a document's genre ("…给…的信", "秘书长的报告", "大会，") and
                  the session, period and agenda lines that are never a title
    speakers.py   speaker names in canonical form ("越南代表" -> 越南); what is never a speaker
    dates.py      date forms (2021 年 2 月 8 日, 19 April 2021, 12 月 4 日) and event dates in a passage
    expansion.py  abbreviations and synonyms (data/synonyms.txt + those defined in the corpus)
    spans.py      where query terms occur in a text: Spans (offsets + the query part), fragment windows
    charter.py    UN Charter chapters/articles: Chinese numerals, tags ("VIII", "39", "2(7)"), labels
"""
