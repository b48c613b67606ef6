"""The web layer: the app factory, blueprints, forms and template helpers."""
