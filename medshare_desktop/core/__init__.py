"""The plain-Python core: models, rules, ports and services. Imports nothing from Qt, SQLAlchemy or spaCy."""
