"""Typed response bodies of the API (pydantic), one module per router."""
