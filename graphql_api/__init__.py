"""careergraph: a GraphQL API over U.S. occupations, skills, industries and places."""

__version__ = "0.1.0"
