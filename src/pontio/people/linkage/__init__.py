"""Record linkage of person records: one record per human.

A Fellegi-Sunter model whose m and u probabilities are estimated from the people table
(u by random sampling, m by expectation maximisation, as Splink does), with term-frequency
adjustment of exact name agreements, scoring comparison vectors computed column-wise with
numpy and RapidFuzz. The same comparison code serves one query against a few hundred
candidates (``people.matching.rank``, in-process) and the whole table (``batch``).

- ``normalise``: names, PNC IDs and postcodes in the forms compared;
- ``features``: a columnar table of records (codes and strings) built from identities;
- ``comparisons``: the comparison levels of a pair, -1 where a value is missing;
- ``model``: the estimated parameters, match weights, probabilities and guards;
- ``estimate``: u by random sampling, m and the prior by EM, term frequencies;
- ``blocking``: the candidate pairs of a whole table;
- ``batch``: de-duplication of a whole table into clusters.

docs/matching.md gives the method and its measured accuracy; docs/decisions.md (D55) why it
is written here rather than run through Splink.
"""
