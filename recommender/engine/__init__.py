"""Marquee's recommender engine: pure numpy/scipy, no Django (see docs/engine.md).

``Engine`` is the hybrid ranker the site serves; ``registry`` selects it or any baseline by
name under the same contract.
"""

from recommender.engine.explain import explain
from recommender.engine.hybrid import hybrid_scores, rank_with_hybrid
from recommender.engine.model import Engine
from recommender.engine.rerank import rerank_for_diversity, session_rerank

__all__ = [
    "Engine",
    "explain",
    "hybrid_scores",
    "rank_with_hybrid",
    "rerank_for_diversity",
    "session_rerank",
]
