"""The bottom layer: helpers shared by every app (forms, views, formatting, documents, uploads).

It imports Django and libraries only, never one of the apps above it."""
