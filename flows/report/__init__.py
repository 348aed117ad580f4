"""Briefings: report views read once (inputs), typed contexts (model, context), charts, HTML and
PDF typesetting (typeset), the render stage (stage) and publication (publish)."""
