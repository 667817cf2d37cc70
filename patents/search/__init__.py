"""Search: the bilingual text index, ranking, facets and the search cache."""
