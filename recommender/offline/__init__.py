"""Offline tools for the engine: the MovieLens evaluation, its tuning and the scale benchmark."""
