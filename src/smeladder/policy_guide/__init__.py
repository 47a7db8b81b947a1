"""The plain-language guide to a pack's measures (for Shanghai, the "enterprise-friendly version" of the Several
Measures, M6.4), generated from the pack: who qualifies, how much, how it is delivered, what to prepare, in zh
and en, as Markdown and as data for the web. The words are the pack's (measures.yaml, guide.yaml); amounts come
from its parameters, so the guide cannot drift from the rules."""
