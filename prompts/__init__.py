"""Prompt templates (Markdown + Jinja2), shipped as package data and loaded by ``rag.prompts``."""
