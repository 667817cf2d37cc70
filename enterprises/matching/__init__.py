"""The matching engine (DESIGN.md section 5): explained matches for a demand, similar
patents, IPC suggestions for free text.

Read ``scoring`` first: the design note, every weight and limit, one pure function per
score component. Then ``terms`` (a query's terms and how rare each is), ``candidates``
(the patents worth scoring), ``matches`` (``find_matches``, ``score_patents``,
``similar_patents``; a demand as a query) and ``ipc_suggestions`` (``suggest_ipc``).
The engine reads the patents app and writes nothing: storing matches is
``enterprises.services.matches``.
"""
