"""Content features for titles: TF-IDF over genres, keywords, cast, crew and overview words.

The engine only needs a ``titles x features`` sparse matrix whose rows are L2-normalised, so
cosine similarity is a dot product, plus the feature names so explanations can say
"Matches your taste for genre:sci-fi". This module builds both with scikit-learn.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

# Relative weight of each field before the rows are normalised: genres and people say more
# about taste than a single overview word does.
FIELD_WEIGHTS = {"genre": 1.0, "keyword": 0.8, "cast": 0.6, "crew": 0.6, "tag": 0.8, "word": 0.4}


def _token_field(name: str, values: Sequence[Sequence[str]]) -> tuple[sp.csr_matrix, list[str]]:
    documents = [
        [f"{name}:{str(v).strip().lower()}" for v in row if str(v).strip()] for row in values
    ]
    if not any(documents):
        return sp.csr_matrix((len(documents), 0), dtype=np.float32), []
    vectorizer = TfidfVectorizer(analyzer=lambda tokens: tokens, sublinear_tf=True)
    matrix = vectorizer.fit_transform(documents)
    return matrix, list(vectorizer.get_feature_names_out())


def _text_field(values: Sequence[str], max_words: int) -> tuple[sp.csr_matrix, list[str]]:
    texts = [str(v or "") for v in values]
    if not any(t.strip() for t in texts):
        return sp.csr_matrix((len(texts), 0), dtype=np.float32), []
    vectorizer = TfidfVectorizer(
        stop_words="english", max_features=max_words, min_df=2, sublinear_tf=True
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # every word filtered out (too few titles, only stop words)
        return sp.csr_matrix((len(texts), 0), dtype=np.float32), []
    return matrix, [f"word:{w}" for w in vectorizer.get_feature_names_out()]


def build_item_features(
    *,
    genres: Sequence[Sequence[str]] | None = None,
    keywords: Sequence[Sequence[str]] | None = None,
    cast: Sequence[Sequence[str]] | None = None,
    crew: Sequence[Sequence[str]] | None = None,
    tags: Sequence[Sequence[str]] | None = None,
    overview: Sequence[str] | None = None,
    max_overview_words: int = 5000,
) -> tuple[sp.csr_matrix, np.ndarray]:
    """TF-IDF features per title (rows in the given order) and their names.

    Each list-valued field holds one list of strings per title; ``overview`` holds one text per
    title. Names are ``"<field>:<value>"`` (``"genre:sci-fi"``, ``"cast:sigourney weaver"``,
    ``"word:alien"``). Rows are L2-normalised; a title with no content is an all-zero row.
    """
    fields = {"genre": genres, "keyword": keywords, "cast": cast, "crew": crew, "tag": tags}
    lengths = {len(v) for v in [*fields.values(), overview] if v is not None}
    if not lengths:
        raise ValueError("build_item_features needs at least one field")
    if len(lengths) > 1:
        raise ValueError(f"every field must have one entry per title, got lengths {lengths}")
    blocks, names = [], []
    for name, values in fields.items():
        if values is None:
            continue
        matrix, field_names = _token_field(name, values)
        blocks.append(matrix * FIELD_WEIGHTS[name])
        names += field_names
    if overview is not None:
        matrix, field_names = _text_field(overview, max_overview_words)
        blocks.append(matrix * FIELD_WEIGHTS["word"])
        names += field_names
    features = normalize(sp.hstack(blocks, format="csr")).astype(np.float32)
    return features, np.asarray(names, dtype=str)
